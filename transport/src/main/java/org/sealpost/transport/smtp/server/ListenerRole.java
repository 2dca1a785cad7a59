package org.sealpost.transport.smtp.server;

/** What a listener is for; it decides whom the listener accepts mail from and for. */
public enum ListenerRole {
    /**
     * Trusted clients (configured networks, or a SASL login inside TLS) relay to any domain: this
     * is where Postfix sends as its relayhost.
     */
    SUBMISSION,
    /** Anyone may send, but only to the configured local domains: never an open relay. */
    MX
}
