package org.sealpost.signing.dkim2;

import java.util.List;
import org.sealpost.signing.dkim.HeaderField;

/**
 * The envelope of one SMTP transaction (RFC 5321 MAIL FROM and RCPT TO), as bare addresses: "" is
 * the null sender. Angle brackets given around an address are taken off; parameters are not part
 * of it (-06 8.5, 8.6).
 */
public record Dkim2Envelope(String mailFrom, List<String> rcptTo) {

    public Dkim2Envelope {
        mailFrom = Dkim2Wire.bare(mailFrom);
        rcptTo = rcptTo.stream().map(Dkim2Wire::bare).toList();
    }

    public static Dkim2Envelope of(String mailFrom, String... rcptTo) {
        return new Dkim2Envelope(mailFrom, List.of(rcptTo));
    }

    /**
     * The envelope the newest DKIM2-Signature among {@code fields} records, or null when there is
     * none. A hop that passes a chain on verifies it against this envelope (-06 9.2: it may sign only
     * a chain that verifies; the transaction that brought the message had this envelope).
     *
     * @throws Dkim2PermanentError when a signature cannot be parsed, or the newest records nd= (-06
     *     9.3: then the next signature must be that domain's, not a new hop's)
     */
    public static Dkim2Envelope recordedIn(List<HeaderField> fields) throws Dkim2PermanentError {
        Dkim2Signature newest = null;
        for (HeaderField field : fields) {
            if (field.is(Dkim2Wire.SIGNATURE_FIELD)) {
                Dkim2Signature sig = Dkim2Wire.parseSignature(field);
                if (newest == null || sig.i() > newest.i()) {
                    newest = sig;
                }
            }
        }
        if (newest == null) {
            return null;
        }
        if (newest.mailFrom().isEmpty()) {
            throw new Dkim2PermanentError(Dkim2Wire.SIGNATURE_FIELD + " i=" + newest.i() + " records nd=, not an envelope: "
                    + "the next signature must be the one of that domain");
        }
        return new Dkim2Envelope(newest.mailFrom().get(), newest.rcptTo());
    }

    /** MAIL FROM as mf= records it: "&lt;a@b&gt;", or "&lt;&gt;". */
    public String reversePath() {
        return "<" + mailFrom + ">";
    }

    /** RCPT TO as rt= records them. */
    public List<String> forwardPaths() {
        return rcptTo.stream().map(r -> "<" + r + ">").toList();
    }
}
