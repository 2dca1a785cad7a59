package org.sealpost.signing.spf;

/**
 * What a check found: the result, a reason a person can read (which term matched, or what went
 * wrong and where), and for {@link SpfResult#FAIL} the explanation (RFC 7208 6.2): the domain's own from its exp= modifier, or
 * Sealpost's ("DOMAIN does not designate IP as a permitted sender of mail from SENDER"); "" otherwise.
 */
public record SpfVerdict(SpfResult result, String reason, String explanation) {

    static SpfVerdict of(SpfResult result, String reason) {
        return new SpfVerdict(result, reason, "");
    }

    SpfVerdict withExplanation(String text) {
        return new SpfVerdict(result, reason, text);
    }

    /** {@code spf=RESULT (reason)}, as the first line of {@code sealpost spf check}. */
    @Override
    public String toString() {
        return "spf=" + result.keyword() + " (" + reason + ")";
    }
}
