package org.sealpost.transport.relay;

import java.io.IOException;

/**
 * An expected failure while the relay starts (a port in use, a queue folder it cannot write, a key
 * that does not match its certificate, a queue locked by another process), worded for the person
 * who started it: what was wrong, where, and what to do. {@code sealpost run} prints the message
 * alone, without a stack trace, and exits with status 1.
 */
public final class StartupFailure extends IOException {
    private static final long serialVersionUID = 1L;

    public StartupFailure(String message) {
        super(message);
    }

    public StartupFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
