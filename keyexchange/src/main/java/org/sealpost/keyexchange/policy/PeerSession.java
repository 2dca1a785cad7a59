package org.sealpost.keyexchange.policy;

import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a hop policy may see of an open connection once EHLO (after STARTTLS, where TLS is up) has
 * been answered: the host, whether TLS is up and the chain presented, the EHLO keywords, and a way
 * to send one command outside a mail transaction (XKEYS fetches the peer's key set with it).
 */
public interface PeerSession {

    /** A reply of the peer: its code and its lines of text, without the code. */
    record Reply(int code, List<String> lines) {

        public Reply {
            lines = List.copyOf(lines);
        }
    }

    /** The MX host name as connected to (not an address literal's brackets). */
    String host();

    int port();

    /** Whether STARTTLS completed; without it the EHLO reply is the plaintext one. */
    boolean tls();

    /** The chain the peer presented, leaf first; empty without TLS. */
    List<Certificate> peerChain();

    /** The parameter of an EHLO keyword ("" when it has none), or null when it is not announced. */
    String ehloKeyword(String keyword);

    /** Sends one command and completes with its reply; fails when the connection does. */
    CompletableFuture<Reply> command(String command);
}
