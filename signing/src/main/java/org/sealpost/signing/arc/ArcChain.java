package org.sealpost.signing.arc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.sealpost.signing.dkim.DkimPermanentError;
import org.sealpost.signing.dkim.HeaderField;
import org.sealpost.signing.dkim.TagList;

/**
 * The ARC sets of a message and the checks of RFC 8617 5.2 steps 1 to 4 that need no key: the form of
 * each set, the instance numbering, and the cv= values. {@code status} is NONE (no ARC field), FAIL
 * (with the reason) or PASS, meaning only that the structure is sound and the signatures are to be checked.
 * {@code highest} is the largest i= seen, even on a failing chain (a sealer numbers its set after it).
 */
record ArcChain(ArcStatus status, String reason, int highest, List<ArcSet> sets) {

    /** RFC 8617 4.2.1: i= runs from 1 to 50. */
    static final int MAX_SETS = 50;

    static final String AUTHENTICATION_RESULTS = "ARC-Authentication-Results";

    /** One complete set: its ARC-Authentication-Results field with the payload after "i=N;", and its two signatures. */
    record ArcSet(int instance, HeaderField results, String payload, ArcSignature messageSignature, ArcSignature seal) {
    }

    static boolean isArcField(HeaderField field) {
        return field.is(ArcSignature.SEAL) || field.is(ArcSignature.MESSAGE_SIGNATURE) || field.is(AUTHENTICATION_RESULTS);
    }

    static ArcChain read(List<HeaderField> fields, boolean legacy, Instant now, Duration skew) {
        TreeMap<Integer, HeaderField[]> byInstance = new TreeMap<>();
        int highest = 0;
        String problem = null;
        boolean any = false;
        for (HeaderField field : fields) {
            int kind = field.is(AUTHENTICATION_RESULTS) ? 0 : field.is(ArcSignature.MESSAGE_SIGNATURE) ? 1
                    : field.is(ArcSignature.SEAL) ? 2 : -1;
            if (kind < 0) {
                continue;
            }
            any = true;
            int instance = kind == 0 ? resultsInstance(field.value()) : ArcSignature.instanceOf(field);
            if (instance < 1 || instance > MAX_SETS) {
                // RFC 8617 5.2 step 2: a field whose set cannot be told makes the chain fail.
                problem = problem != null ? problem : field.name() + " has no valid i= instance (1 to " + MAX_SETS + ")";
                continue;
            }
            highest = Math.max(highest, instance);
            HeaderField[] set = byInstance.computeIfAbsent(instance, i -> new HeaderField[3]);
            if (set[kind] != null && problem == null) {
                // RFC 8617 4.2.1: exactly one field of each kind per instance.
                problem = "more than one " + field.name() + " with i=" + instance;
            }
            set[kind] = set[kind] == null ? field : set[kind];
        }
        if (!any) {
            return new ArcChain(ArcStatus.NONE, "no ARC sets", 0, List.of());
        }
        if (problem != null) {
            return fail(problem, highest);
        }
        List<ArcSet> sets = new ArrayList<>();
        for (int i = 1; i <= highest; i++) {
            HeaderField[] set = byInstance.get(i);
            if (set == null) {
                return fail("the chain has no ARC set i=" + i + " below i=" + highest + " (RFC 8617 5.2 step 2)", highest);
            }
            String[] names = {AUTHENTICATION_RESULTS, ArcSignature.MESSAGE_SIGNATURE, ArcSignature.SEAL};
            for (int k = 0; k < 3; k++) {
                if (set[k] == null) {
                    return fail("ARC set i=" + i + " has no " + names[k] + " (RFC 8617 4.2.1)", highest);
                }
            }
            ArcSignature ams;
            ArcSignature seal;
            try {
                ams = ArcSignature.parseMessageSignature(set[1], i, legacy, now, skew);
            } catch (DkimPermanentError e) {
                return fail(ArcSignature.MESSAGE_SIGNATURE + " i=" + i + ": " + e.getMessage(), highest);
            }
            try {
                seal = ArcSignature.parseSeal(set[2], i, legacy, now, skew);
            } catch (DkimPermanentError e) {
                return fail(ArcSignature.SEAL + " i=" + i + ": " + e.getMessage(), highest);
            }
            sets.add(new ArcSet(i, set[0], payload(set[0].value()), ams, seal));
        }
        ArcSignature newest = sets.get(sets.size() - 1).seal();
        if (newest.cv() == ArcStatus.FAIL) {
            // RFC 8617 5.2 step 3: a sealer already found the chain broken.
            return fail("ARC-Seal i=" + newest.instance() + " (d=" + newest.domain() + ") says cv=fail", highest);
        }
        for (ArcSet set : sets) {
            ArcStatus cv = set.seal().cv();
            ArcStatus expected = set.instance() == 1 ? ArcStatus.NONE : ArcStatus.PASS;
            if (cv != expected) {
                // RFC 8617 5.2 step 4: i=1 says cv=none, every later seal cv=pass.
                return fail("ARC-Seal i=" + set.instance() + " has cv=" + cv.tag() + " where RFC 8617 5.2 step 4"
                        + " requires cv=" + expected.tag(), highest);
            }
        }
        return new ArcChain(ArcStatus.PASS, "", highest, List.copyOf(sets));
    }

    private static ArcChain fail(String reason, int highest) {
        return new ArcChain(ArcStatus.FAIL, reason, highest, List.of());
    }

    /** RFC 8617 4.1.1: the value is "i=N;" followed by the Authentication-Results payload; -1 if it does not start so. */
    static int resultsInstance(String value) {
        String v = TagList.trim(value);
        int semicolon = v.indexOf(';');
        if (semicolon < 0) {
            return -1;
        }
        String spec = v.substring(0, semicolon);
        int eq = spec.indexOf('=');
        if (eq < 0 || !TagList.trim(spec.substring(0, eq)).equals("i")) {
            return -1;
        }
        return ArcSignature.instance(TagList.trim(spec.substring(eq + 1)));
    }

    /** The payload after "i=N;", unfolded and trimmed: "authserv-id; method=result ...". */
    static String payload(String value) {
        String v = TagList.trim(value);
        String rest = v.substring(v.indexOf(';') + 1);
        return TagList.trim(rest.replace("\r\n", ""));
    }
}
