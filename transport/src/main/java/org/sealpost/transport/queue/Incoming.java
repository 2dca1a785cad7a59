package org.sealpost.transport.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** A message being received: content streams in, then it is committed to the queue or aborted. */
public interface Incoming {

    /** The queue id the message will have, for the Received header and the logs. */
    String queueId();

    /**
     * Appends content: the message as it will be delivered, with CRLF line ends and the
     * dot-stuffing of DATA removed. Writes go to the page cache only, so the event loop may call it.
     */
    void write(ByteBuffer content) throws IOException;

    /**
     * Makes the message durable (file and folder synced) and hands it to the delivery scheduler.
     * The future completes with the queue id; only then may the session answer 250. It completes
     * exceptionally when the message could not be stored, and nothing is then queued.
     */
    default CompletableFuture<String> commit() {
        return commit(Additions.NONE);
    }

    /** The same, storing what the session learned at the end of the message with it. */
    CompletableFuture<String> commit(Additions additions);

    /** Discards the message (the client went away, or a limit was exceeded). Idempotent. */
    void abort();
}
