package org.sealpost.keyexchange.policy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The ordered list of policy sources: the first that knows the destination decides, and when none
 * does the default level applies (opportunistic STARTTLS unless configured otherwise). The layers
 * then wrap the decision, in order, for the per-host checks below it (the XKEYS pin).
 */
public final class PolicyChain {

    private final List<TlsPolicy> sources;
    private final HopPolicy fallback;
    private final List<PolicyLayer> layers;

    public PolicyChain(List<TlsPolicy> sources, TlsLevel defaultLevel, LevelPolicies policies) {
        this(sources, defaultLevel, policies, List.of());
    }

    public PolicyChain(List<TlsPolicy> sources, TlsLevel defaultLevel, LevelPolicies policies, List<PolicyLayer> layers) {
        this.sources = List.copyOf(sources);
        this.fallback = policies.of(defaultLevel, "default");
        this.layers = List.copyOf(layers);
    }

    /** The policy for one delivery attempt to {@code domain}. */
    public CompletableFuture<HopPolicy> decide(String domain) {
        return ask(0, domain).thenApply(decided -> {
            HopPolicy policy = decided;
            for (PolicyLayer layer : layers) {
                policy = layer.around(domain, policy);
            }
            return policy;
        });
    }

    private CompletableFuture<HopPolicy> ask(int index, String domain) {
        if (index == sources.size()) {
            return CompletableFuture.completedFuture(fallback);
        }
        return sources.get(index).forDomain(domain).thenCompose((Optional<HopPolicy> found) ->
                found.isPresent() ? CompletableFuture.completedFuture(found.get()) : ask(index + 1, domain));
    }
}
