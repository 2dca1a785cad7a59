package org.sealpost.signing.dkim2;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.Security;

/**
 * The key and signature steps for one DKIM2-Signature (-06 11.5, 11.6), once its key answers are
 * in: each sig-set of a known algorithm is checked with its key, and all of them must pass.
 */
final class HopCheck {

    /** A key lookup's outcome: the answer, or the exception the lookup completed with. */
    record KeyAnswer(DnsAnswer<String> answer, Throwable error) {
    }

    private HopCheck() {
    }

    static String keyName(SigSet set, Dkim2Signature sig) {
        return Dkim2Wire.lower(set.selector() + Dkim2Wire.KEY_LABEL + sig.domain());
    }

    static Dkim2Result.Hop check(Dkim2Signature sig, Chain chain, Map<String, KeyAnswer> answers) {
        byte[] input = Hashes.signingInput(chain.instancesFor(sig), chain.signatures().subList(0, sig.i() - 1),
                sig.field().raw());
        String where = Dkim2Wire.SIGNATURE_FIELD + " i=" + sig.i();
        List<Dkim2Result.SigSetResult> sets = new ArrayList<>();
        for (SigSet set : sig.sigSets()) {
            Dkim2Algorithm algorithm = set.known();
            if (algorithm == null) {
                sets.add(new Dkim2Result.SigSetResult(set.selector(), set.algorithm(), Dkim2Verdict.NONE,
                        "algorithm not implemented: ignored (-06 3.4)", Optional.empty(), false));
            } else {
                sets.add(one(where, set, algorithm, keyName(set, sig), answers.get(keyName(set, sig)), input));
            }
        }
        Verdicts verdict = combine(where, sets);
        return new Dkim2Result.Hop(sig.i(), sig.m(), sig.domain(), sig.mailFrom(), sig.rcptTo(), sig.nextDomain(),
                sig.timestamp(), sig.flags(), verdict.verdict(), verdict.reason(), sets);
    }

    private record Verdicts(Dkim2Verdict verdict, String reason) {
    }

    // -06 11.6 steps 3 and 4: every signature that can be checked must pass; name the selectors that did not.
    private static Verdicts combine(String where, List<Dkim2Result.SigSetResult> sets) {
        List<String> passed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Dkim2Result.SigSetResult set : sets) {
            if (set.verdict() == Dkim2Verdict.PERMERROR) {
                return new Verdicts(Dkim2Verdict.PERMERROR, set.reason());
            }
        }
        for (Dkim2Result.SigSetResult set : sets) {
            if (set.verdict() == Dkim2Verdict.TEMPERROR) {
                return new Verdicts(Dkim2Verdict.TEMPERROR, set.reason());
            }
            if (set.verdict() == Dkim2Verdict.PASS) {
                passed.add(set.selector());
            } else if (set.verdict() == Dkim2Verdict.FAIL) {
                failed.add(set.selector());
            }
        }
        if (passed.isEmpty() && failed.isEmpty()) {
            return new Verdicts(Dkim2Verdict.PERMERROR, where + " has no signature in an algorithm this verifier implements");
        }
        if (failed.isEmpty()) {
            return new Verdicts(Dkim2Verdict.PASS, "");
        }
        if (passed.isEmpty()) {
            return new Verdicts(Dkim2Verdict.FAIL, where + " " + String.join(", ", failed) + " incorrect signature");
        }
        return new Verdicts(Dkim2Verdict.FAIL, where + " " + String.join(", ", passed) + " signature passed, "
                + String.join(", ", failed) + " signature failed");
    }

    private static Dkim2Result.SigSetResult one(String where, SigSet set, Dkim2Algorithm algorithm, String name,
            KeyAnswer key, byte[] input) {
        String prefix = where + " public key " + name;
        if (key.error() != null) {
            Throwable cause = key.error() instanceof CompletionException && key.error().getCause() != null
                    ? key.error().getCause() : key.error();
            return result(set, Dkim2Verdict.TEMPERROR, prefix + " could not be fetched (" + cause + ")", null, false);
        }
        DnsAnswer<String> answer = key.answer();
        Security security = answer.security();
        if (security == Security.BOGUS) {
            // Never use a BOGUS answer; temporary, as other DNS failures, so that a broken zone can be repaired.
            return result(set, Dkim2Verdict.TEMPERROR, prefix + " could not be fetched (DNSSEC BOGUS"
                    + detail(answer.reason()) + ")", security, false);
        }
        if (answer.outcome().isTemporary()) {
            return result(set, Dkim2Verdict.TEMPERROR, prefix + " could not be fetched (" + answer.outcome()
                    + detail(answer.reason()) + ")", security, false);
        }
        if (!answer.found() || answer.records().isEmpty()) {
            return result(set, Dkim2Verdict.PERMERROR, prefix + " does not exist", security, false);
        }
        if (answer.records().size() > 1) {
            // -06 11.5, dns-00 3.6.2: more than one record at the name is an error.
            return result(set, Dkim2Verdict.PERMERROR, prefix + " has multiple records", security, false);
        }
        Dkim2KeyRecord record;
        try {
            record = Dkim2KeyRecord.parse(answer.records().get(0));
        } catch (Dkim2PermanentError e) {
            return result(set, Dkim2Verdict.PERMERROR, prefix + " " + e.getMessage(), security, false);
        }
        if (!record.fits(algorithm)) {
            return result(set, Dkim2Verdict.PERMERROR, prefix + " algorithm mismatch (k=" + record.keyType() + ", s= "
                    + set.algorithm() + ")", security, record.testing());
        }
        boolean valid;
        try {
            valid = algorithm.verify(record.key(), input, set.signature());
        } catch (GeneralSecurityException | RuntimeException e) {
            valid = false;
        }
        return valid ? result(set, Dkim2Verdict.PASS, "", security, record.testing())
                : result(set, Dkim2Verdict.FAIL, where + " " + set.selector() + " incorrect signature", security,
                        record.testing());
    }

    private static Dkim2Result.SigSetResult result(SigSet set, Dkim2Verdict verdict, String reason, Security security,
            boolean testing) {
        return new Dkim2Result.SigSetResult(set.selector(), set.algorithm(), verdict, reason, Optional.ofNullable(security),
                testing);
    }

    private static String detail(String reason) {
        return reason == null || reason.isEmpty() ? "" : ": " + reason;
    }
}
