package org.sealpost.keyexchange.policy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The ordered list of policy sources: the first that knows the destination decides, and when none
 * does the default level applies (opportunistic STARTTLS unless configured otherwise).
 */
public final class PolicyChain {

    private final List<TlsPolicy> sources;
    private final HopPolicy fallback;

    public PolicyChain(List<TlsPolicy> sources, TlsLevel defaultLevel, LevelPolicies policies) {
        this.sources = List.copyOf(sources);
        this.fallback = policies.of(defaultLevel, "default");
    }

    /** The policy for one delivery attempt to {@code domain}. */
    public CompletableFuture<HopPolicy> decide(String domain) {
        return ask(0, domain);
    }

    private CompletableFuture<HopPolicy> ask(int index, String domain) {
        if (index == sources.size()) {
            return CompletableFuture.completedFuture(fallback);
        }
        return sources.get(index).forDomain(domain).thenCompose((Optional<HopPolicy> found) ->
                found.isPresent() ? CompletableFuture.completedFuture(found.get()) : ask(index + 1, domain));
    }
}
