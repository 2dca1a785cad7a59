package org.sealpost.keyexchange.policy;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The per-domain policy map of the configuration (like Postfix's smtp_tls_policy_maps): an exact
 * domain match, or a ".example.com" entry for every subdomain. It overrides discovered policies.
 */
public final class StaticPolicy implements TlsPolicy {

    private final Map<String, TlsLevel> levels;
    private final LevelPolicies policies;

    public StaticPolicy(Map<String, TlsLevel> levels, LevelPolicies policies) {
        this.levels = Map.copyOf(levels);
        this.policies = policies;
    }

    @Override
    public CompletableFuture<Optional<HopPolicy>> forDomain(String domain) {
        String name = domain.toLowerCase(Locale.ROOT);
        TlsLevel level = levels.get(name);
        for (int dot = name.indexOf('.'); level == null && dot >= 0; dot = name.indexOf('.', dot + 1)) {
            level = levels.get(name.substring(dot));
        }
        return CompletableFuture.completedFuture(
                Optional.ofNullable(level).map(l -> policies.of(l, "static")));
    }
}
