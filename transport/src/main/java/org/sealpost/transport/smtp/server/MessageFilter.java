package org.sealpost.transport.smtp.server;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.sealpost.transport.queue.Additions;
import org.sealpost.transport.queue.Envelope;

/**
 * Looks at a message while it arrives and decides at its end, before the 250: DKIM signing on a
 * submission listener, DKIM verification on an mx listener. It sees the client's content only
 * (CRLF line ends, dot-stuffing removed), not the Received header Sealpost adds.
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

        /** The decision at the end of the content; it may wait for DNS, never for the client. */
        CompletableFuture<Outcome> finish();
    }

    /**
     * @param queueId the id of the message, for the log lines
     * @param authUser the SASL login of the client, "" when it did not log in
     */
    Run start(String queueId, Envelope envelope, String authUser);
}
