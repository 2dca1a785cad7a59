package org.sealpost.transport.queue;

import java.io.IOException;

/** A queue file that cannot be read back: it is set aside, never deleted. */
final class CorruptQueueFileException extends IOException {

    private static final long serialVersionUID = 1L;

    CorruptQueueFileException(String reason) {
        super(reason);
    }
}
