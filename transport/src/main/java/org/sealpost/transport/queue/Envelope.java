package org.sealpost.transport.queue;

import java.time.Instant;
import java.util.List;

/**
 * Everything the SMTP session learned about a message besides its content.
 *
 * @param sender the reverse path without angle brackets; "" for the null sender of bounces
 * @param recipients the accepted recipients, in the order given
 * @param body the BODY parameter (7BIT when absent)
 * @param smtputf8 whether MAIL FROM carried SMTPUTF8 (RFC 6531)
 * @param ret the DSN RET parameter, "FULL", "HDRS" or "" when absent (RFC 3461 4.3)
 * @param envid the DSN ENVID parameter as given (xtext), or ""
 * @param client how the message arrived: client name and address, HELO name, TLS and login
 * @param arrival when the message was accepted; its queue lifetime counts from here
 * @param requireTls whether MAIL FROM carried REQUIRETLS (RFC 8689 2): every onward hop must be
 *     verified by DANE or an enforced MTA-STS policy and announce REQUIRETLS, or the message bounces
 */
public record Envelope(String sender, List<Recipient> recipients, BodyType body, boolean smtputf8,
        String ret, String envid, ClientInfo client, Instant arrival, boolean requireTls) {

    public Envelope {
        recipients = List.copyOf(recipients);
    }

    /** An envelope without REQUIRETLS. */
    public Envelope(String sender, List<Recipient> recipients, BodyType body, boolean smtputf8, String ret,
            String envid, ClientInfo client, Instant arrival) {
        this(sender, recipients, body, smtputf8, ret, envid, client, arrival, false);
    }

    /**
     * The client side of the session that handed over the message.
     *
     * @param address the client's IP address as text
     * @param heloName the EHLO or HELO argument
     * @param protocol "SMTP", "ESMTP", "ESMTPS", "ESMTPA" or "ESMTPSA" (RFC 3848)
     * @param tls the TLS protocol and cipher, e.g. "TLSv1.3 TLS_AES_256_GCM_SHA384", or ""
     * @param authUser the SASL login, or ""
     * @param listener the name of the listener that accepted the message
     * @param port the client's TCP port, or 0: known only for mail an mx listener received, whose
     *     original client the hand-off names to the next hop (XCLIENT, XFORWARD; docs/postfix.md)
     * @param name the client's verified reverse name, or "" when none is known
     */
    public record ClientInfo(String address, String heloName, String protocol, String tls,
            String authUser, String listener, int port, String name) {

        /** The listener name of the delivery status notifications the queue writes itself. */
        public static final String REPORTS = "bounce";

        /** A client whose origin is not passed on (submission, local bounces, files without it). */
        public ClientInfo(String address, String heloName, String protocol, String tls, String authUser,
                String listener) {
            this(address, heloName, protocol, tls, authUser, listener, 0, "");
        }

        /** Whether the hand-off may name this client to the next hop: mail from an mx listener. */
        public boolean hasOrigin() {
            return port > 0;
        }
    }
}
