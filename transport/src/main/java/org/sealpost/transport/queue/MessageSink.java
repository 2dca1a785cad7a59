package org.sealpost.transport.queue;

import java.io.IOException;

/** Where an SMTP session puts an accepted message: the queue. */
public interface MessageSink {

    /**
     * Starts a message for the envelope. The session then streams the content into the returned
     * {@link Incoming} and commits it before it replies 250.
     */
    Incoming receive(Envelope envelope) throws IOException;
}
