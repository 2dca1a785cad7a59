package org.sealpost.signing.arc;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.Outcome;
import org.sealpost.dnssec.Security;
import org.sealpost.signing.dkim.BodyHash;
import org.sealpost.signing.dkim.DkimPermanentError;
import org.sealpost.signing.dkim.HeaderField;
import org.sealpost.signing.dkim.HeaderHash;
import org.sealpost.signing.dkim.KeyRecord;

/**
 * Checks one ARC signature once its key answer is in: the key record as for DKIM (RFC 6376 6.1.2,
 * RFC 8301 sizes), then the body hash and header hash of a message signature (RFC 8617 5.2 step 5),
 * or the seal over its sets (step 7, the input of RFC 8617 5.1.1).
 */
final class SignatureCheck {

    /** {@code status} PASS or FAIL; {@code temporary} when the key could not be had for a DNS reason. */
    record Checked(ArcStatus status, String reason, boolean temporary, Security security) {
        static Checked pass(Security security) {
            return new Checked(ArcStatus.PASS, "", false, security);
        }

        static Checked fail(String reason, boolean temporary, Security security) {
            return new Checked(ArcStatus.FAIL, reason, temporary, security);
        }
    }

    private SignatureCheck() {
    }

    static Checked messageSignature(ArcSignature sig, List<HeaderField> fields, DnsAnswer<String> answer,
            Throwable error, BodyHash.Result body, boolean legacy) {
        Object key = key(sig, answer, error, legacy);
        if (key instanceof Checked failed) {
            return failed;
        }
        Security security = answer.security();
        if (!MessageDigest.isEqual(body.digest(), sig.bodyHash())) {
            return Checked.fail(sig.describe() + ": body hash did not verify", false, security);
        }
        byte[] data = HeaderHash.input(fields, sig.signedHeaders(), sig.field().raw(), sig.headerCanonicalization());
        return verify(sig, (KeyRecord) key, data, security);
    }

    static Checked seal(ArcSignature sig, List<ArcChain.ArcSet> sets, DnsAnswer<String> answer, Throwable error,
            boolean legacy) {
        Object key = key(sig, answer, error, legacy);
        if (key instanceof Checked failed) {
            return failed;
        }
        return verify(sig, (KeyRecord) key, SealInput.of(sets.subList(0, sig.instance()), sig.field().raw()),
                answer.security());
    }

    private static Checked verify(ArcSignature sig, KeyRecord key, byte[] data, Security security) {
        boolean valid;
        try {
            valid = sig.algorithm().verify(key.key(), data, sig.signature());
        } catch (GeneralSecurityException | RuntimeException e) {
            valid = false;
        }
        return valid ? Checked.pass(security) : Checked.fail(sig.describe() + ": signature did not verify", false, security);
    }

    /** The usable key, or the failing outcome. */
    private static Object key(ArcSignature sig, DnsAnswer<String> answer, Throwable error, boolean legacy) {
        String where = sig.describe() + ": ";
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            return Checked.fail(where + "key lookup of " + sig.keyName() + " failed: " + cause, true, null);
        }
        Security security = answer.security();
        if (security == Security.BOGUS) {
            // As for DKIM: a BOGUS answer may be forged, never used, and counts as temporary.
            return Checked.fail(where + "key record " + sig.keyName() + " failed DNSSEC validation (BOGUS)", true,
                    security);
        }
        if (answer.outcome().isTemporary()) {
            return Checked.fail(where + "key lookup of " + sig.keyName() + ": " + answer.outcome(), true, security);
        }
        if (answer.outcome() != Outcome.FOUND || answer.records().isEmpty()) {
            return Checked.fail(where + "no key at " + sig.keyName() + " (" + answer.outcome() + ")", false, security);
        }
        try {
            KeyRecord key = KeyRecord.firstUsable(answer.records(), legacy);
            key.checkAlgorithm(sig.algorithm());
            return key;
        } catch (DkimPermanentError e) {
            return Checked.fail(where + e.getMessage(), false, security);
        }
    }
}
