package org.sealpost.keyexchange.policy;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One source of outbound TLS policy. Sources are ordered in one list by a {@link PolicyChain};
 * a source that does not know the destination answers empty and the next one is asked.
 */
public interface TlsPolicy {

    /** The policy for delivering to {@code domain}, or empty when this source has none. */
    CompletableFuture<Optional<HopPolicy>> forDomain(String domain);
}
