package org.sealpost.transport.queue;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Delivers queued messages to their next hop: the SMTP client. */
public interface Deliverer {

    /**
     * One delivery attempt of {@code message} to {@code recipients}, which all share the domain
     * {@code domain}. The future completes with one result per recipient, in any order; failures
     * are results (DEFERRED or BOUNCED), the future itself never completes exceptionally.
     */
    CompletableFuture<List<RecipientResult>> deliver(QueuedMessage message, String domain,
            List<Recipient> recipients);

    /**
     * Forgets which destinations were found unavailable, so that the attempts that follow connect
     * instead of deferring at once: an administrator's flush asks for a real attempt (Postfix's
     * postqueue -f and -s flush its dead destinations too).
     */
    default void forgetUnavailable() {
    }
}
