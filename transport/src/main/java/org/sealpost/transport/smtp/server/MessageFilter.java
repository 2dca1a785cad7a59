package org.sealpost.transport.smtp.server;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.sealpost.transport.queue.Additions;
import org.sealpost.transport.queue.Envelope;

/**
 * Looks at a message while it arrives and decides at its end, before the 250: DKIM signing on a
 * submission listener, the inbound checks (SPF, DKIM, DMARC) on an mx listener. It may begin at
 * MAIL FROM ({@link #begin}); it sees the client's content only (CRLF line ends, dot-stuffing
 * removed), not the Received header Sealpost adds, and it may change the header section before it
 * is stored ({@link Run#header}).
 */
public interface MessageFilter {

    /** What the filter decided: the additions to store with the message, or a refusal reply. */
    record Outcome(Additions additions, String refusal) {

        public static Outcome accept(Additions additions) {
            return new Outcome(additions, null);
        }

        public static Outcome refuse(String reply) {
            return new Outcome(Additions.NONE, reply);
        }
    }

    /** One message. */
    interface Run {

        /** The next piece of content; the buffer is the caller's, read it without keeping it. */
        void accept(ByteBuffer content);

        /**
         * The client's header section, whole (up to the blank line, which it includes when there is
         * one), after {@link #accept} has seen it and before it is stored: returns the octets to store
         * in its place. Called once, unless the section is over the session's limit.
         */
        default byte[] header(byte[] section) {
            return section;
        }

        /** The decision at the end of the content; it may wait for DNS, never for the client. */
        CompletableFuture<Outcome> finish();

        /**
         * The message is on disk, just before the 250: called only when {@link #finish} accepted it and
         * the queue took it (what remembers accepted messages, as the DKIM2 duplicate check, does it here).
         */
        default void queued() {
        }
    }

    /** A transaction as far as MAIL FROM: what a filter starts before the content arrives. */
    interface Transaction {

        /** The content begins (DATA or the first BDAT); see {@link MessageFilter#start}. */
        Run start(String queueId, Envelope envelope, String authUser);
    }

    /**
     * At MAIL FROM: checks of the envelope may start here, while RCPT and DATA go on (SPF, RFC 7208
     * 2.4). By default nothing starts before the content.
     *
     * @param client the client's address
     * @param helo the name the client gave in HELO or EHLO
     * @param sender the MAIL FROM address, "" for the null sender
     */
    default Transaction begin(InetAddress client, String helo, String sender) {
        return this::start;
    }

    /**
     * @param queueId the id of the message, for the log lines
     * @param authUser the SASL login of the client, "" when it did not log in
     */
    Run start(String queueId, Envelope envelope, String authUser);
}
