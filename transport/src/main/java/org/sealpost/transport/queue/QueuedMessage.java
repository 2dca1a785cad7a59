package org.sealpost.transport.queue;

import java.io.IOException;
import java.io.InputStream;

/** A message in the queue as the deliverer sees it. */
public interface QueuedMessage {

    String queueId();

    Envelope envelope();

    /** Size of the content in bytes (what SIZE= announces to the next hop). */
    long size();

    /** Opens the content from its first byte: CRLF line ends, not dot-stuffed. */
    InputStream openContent() throws IOException;
}
