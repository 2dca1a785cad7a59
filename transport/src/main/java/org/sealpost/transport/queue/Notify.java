package org.sealpost.transport.queue;

/** The NOTIFY values of RCPT TO (RFC 3461 4.1). An empty set means the parameter was absent. */
public enum Notify {
    NEVER, SUCCESS, FAILURE, DELAY
}
