package org.sealpost.signing.dkim2;

import java.util.List;

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

    /** MAIL FROM as mf= records it: "&lt;a@b&gt;", or "&lt;&gt;". */
    public String reversePath() {
        return "<" + mailFrom + ">";
    }

    /** RCPT TO as rt= records them. */
    public List<String> forwardPaths() {
        return rcptTo.stream().map(r -> "<" + r + ">").toList();
    }
}
