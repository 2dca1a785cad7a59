package org.sealpost.transport.queue;

import java.io.IOException;
import java.io.InputStream;

/** A message in the queue as the deliverer sees it. */
public interface QueuedMessage {

    String queueId();

    Envelope envelope();

    /** Size of the content in bytes, prepended fields included (what SIZE= announces to the next hop). */
    long size();

    /**
     * Opens the content from its first byte, as it is delivered: the prepended header fields
     * (a DKIM-Signature), then the message as received; CRLF line ends, not dot-stuffed.
     */
    InputStream openContent() throws IOException;

    /** The results recorded when the message arrived (DKIM, in RFC 8601 form); empty when none. */
    default java.util.List<String> results() {
        return java.util.List.of();
    }
}
