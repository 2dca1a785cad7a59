package org.sealpost.keyexchange.policy;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The per-domain levels of the configuration (like Postfix's smtp_tls_policy_maps): an exact
 * domain match, or a ".example.com" entry for every subdomain. It comes first in the list and
 * fixes the level: discovered policies (MTA-STS, pins) do not raise what the operator set.
 */
public final class StaticPolicy implements DeliveryPolicy {

    private final Map<String, TlsLevel> levels;

    public StaticPolicy(Map<String, TlsLevel> levels) {
        this.levels = Map.copyOf(levels);
    }

    @Override
    public String name() {
        return "static";
    }

    @Override
    public CompletableFuture<Step> beforeConnect(Hop hop, Decision earlier) {
        TlsLevel level = levelOf(hop.domain());
        if (level == null) {
            return Step.unchanged(earlier);
        }
        return CompletableFuture.completedFuture(new Step(new Decision(level, name(), "none", true,
                "tls_policy for " + hop.domain()), AfterHandshake.NOTHING));
    }

    /** The configured level of a domain, or null when no entry names it. */
    TlsLevel levelOf(String domain) {
        String name = domain.toLowerCase(Locale.ROOT);
        TlsLevel level = levels.get(name);
        for (int dot = name.indexOf('.'); level == null && dot >= 0; dot = name.indexOf('.', dot + 1)) {
            level = levels.get(name.substring(dot));
        }
        return level;
    }
}
