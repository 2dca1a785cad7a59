package org.sealpost.signing.dkim;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.Outcome;
import org.sealpost.dnssec.Security;

/**
 * The last steps of RFC 6376 6.1 for one signature, once its key answer and body hash are in:
 * judge the answer, read the key record, compare the body hash, verify the signature.
 */
final class SignatureCheck {

    private SignatureCheck() {
    }

    static DkimResult check(DkimSignature sig, List<HeaderField> fields, DnsAnswer<String> answer, Throwable error,
            BodyHash.Result body, boolean legacy) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            return DkimResult.of(Verdict.TEMPERROR, "key lookup of " + sig.keyName() + " failed: " + cause, sig, null,
                    false, false);
        }
        Security security = answer.security();
        if (security == Security.BOGUS) {
            // A BOGUS answer may be forged: never use it. Temporary, as for other DNS failures, so the
            // sender is deferred rather than bounced while a broken zone is repaired.
            return result(Verdict.TEMPERROR, "key record " + sig.keyName() + " failed DNSSEC validation (BOGUS)"
                    + detail(answer.reason()), sig, security, false, false);
        }
        if (answer.outcome().isTemporary()) {
            return result(Verdict.TEMPERROR, "key lookup of " + sig.keyName() + ": " + answer.outcome()
                    + detail(answer.reason()), sig, security, false, false);
        }
        if (answer.outcome() != Outcome.FOUND || answer.records().isEmpty()) {
            // RFC 6376 6.1.2 step 3: no key record is a PERMFAIL.
            return result(Verdict.PERMERROR, "no key for signature at " + sig.keyName() + " (" + answer.outcome() + ")",
                    sig, security, false, false);
        }
        KeyRecord key;
        try {
            key = firstUsable(answer.records(), legacy);
            key.checkFor(sig, legacy);
        } catch (DkimPermanentError e) {
            return result(Verdict.PERMERROR, e.getMessage(), sig, security, false, false);
        }
        boolean partial = sig.bodyLength() >= 0 && body.canonicalLength() > sig.bodyLength();
        if (sig.bodyLength() > body.canonicalLength()) {
            // RFC 6376 3.5 l=: a body shorter than l= cannot have been signed as it is.
            return result(Verdict.PERMERROR, "l=" + sig.bodyLength() + " is longer than the body ("
                    + body.canonicalLength() + " canonical octets)", sig, security, key.testing(), false);
        }
        if (!MessageDigest.isEqual(body.digest(), sig.bodyHash())) {
            return result(Verdict.FAIL, "body hash did not verify", sig, security, key.testing(), partial);
        }
        byte[] data = HeaderHash.input(fields, sig.signedHeaders(), sig.field().raw(), sig.headerCanonicalization());
        boolean valid;
        try {
            valid = verify(sig.algorithm(), key, data, sig.signature());
        } catch (GeneralSecurityException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            return result(Verdict.FAIL, "signature did not verify", sig, security, key.testing(), partial);
        }
        return result(Verdict.PASS, "", sig, security, key.testing(), partial);
    }

    /** Of several records at the name, the first that is a valid key (RFC 6376 6.1.2 step 4 leaves the choice). */
    private static KeyRecord firstUsable(List<String> records, boolean legacy) throws DkimPermanentError {
        return KeyRecord.firstUsable(records, legacy);
    }

    static boolean verify(Algorithm algorithm, KeyRecord key, byte[] data, byte[] signature)
            throws GeneralSecurityException {
        return algorithm.verify(key.key(), data, signature);
    }

    private static DkimResult result(Verdict verdict, String reason, DkimSignature sig, Security security,
            boolean testing, boolean partial) {
        return DkimResult.of(verdict, reason, sig, security, testing, partial);
    }

    private static String detail(String reason) {
        return reason == null || reason.isEmpty() ? "" : ": " + reason;
    }
}
