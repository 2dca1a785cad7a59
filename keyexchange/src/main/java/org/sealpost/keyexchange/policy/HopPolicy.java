package org.sealpost.keyexchange.policy;

import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What one delivery attempt to a destination domain needs: the TLS level, the source that decided
 * it (for the logs), and the check of the peer's certificate chain once TLS is up.
 */
public interface HopPolicy {

    TlsLevel level();

    /** Which policy source decided, e.g. "static" or "default". */
    String source();

    /**
     * Checks the chain the MX host presented. Called only after a completed handshake; a failed
     * verification defers the delivery (4.7.5) and the attempt moves to the next MX host.
     */
    Verification verify(String mxHost, List<Certificate> peerChain);

    /**
     * Checks the open connection once EHLO is answered, with or without TLS. The default checks
     * the chain with {@link #verify} when TLS is up and passes a plaintext connection (whether
     * plaintext is allowed at all is the level's business). Policies that need more of the
     * session than the chain, such as the XKEYS pin, override this.
     */
    default CompletableFuture<Verification> check(PeerSession peer) {
        return CompletableFuture.completedFuture(peer.tls() ? verify(peer.host(), peer.peerChain())
                : Verification.unauthenticated());
    }

    /**
     * Narrows the policy for one MX host before it is contacted: DANE looks up the host's TLSA
     * records here (RFC 7672 2.2). A host that must not be used completes with a
     * {@link PolicyRefusal}; the attempt moves on to the next host.
     *
     * @param nextHopDomain the domain whose MX records named the host (a DANE reference name)
     * @param mxSecure whether the MX records were SECURE (or no MX lookup was made)
     */
    default CompletableFuture<HopPolicy> forHost(String host, int port, String nextHopDomain, boolean mxSecure) {
        return CompletableFuture.completedFuture(this);
    }

    /** A policy that needs the given level and authenticates nobody. */
    static HopPolicy unauthenticated(TlsLevel level, String source) {
        return new HopPolicy() {
            @Override
            public TlsLevel level() {
                return level;
            }

            @Override
            public String source() {
                return source;
            }

            @Override
            public Verification verify(String mxHost, List<Certificate> peerChain) {
                return Verification.unauthenticated();
            }

            @Override
            public String toString() {
                return level.configName() + " (" + source + ")";
            }
        };
    }
}
