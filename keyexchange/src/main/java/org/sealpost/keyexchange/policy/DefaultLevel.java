package org.sealpost.keyexchange.policy;

import java.util.concurrent.CompletableFuture;

/** tls_default_level: the level of every destination that no earlier policy decided. */
public final class DefaultLevel implements DeliveryPolicy {

    private final TlsLevel level;
    private final String name;

    public DefaultLevel(TlsLevel level) {
        this(level, "default");
    }

    /** @param name "default", or how a diagnosis names a level it was given ("check" for `sealpost check --level`) */
    public DefaultLevel(TlsLevel level, String name) {
        this.level = level;
        this.name = name;
    }

    /** Always "default": its place in the order, whatever the decisions call it. */
    @Override
    public String name() {
        return "default";
    }

    @Override
    public CompletableFuture<Step> beforeConnect(Hop hop, Decision earlier) {
        if (!earlier.undecidedYet()) {
            return Step.unchanged(earlier);
        }
        return CompletableFuture.completedFuture(new Step(new Decision(level, name, "none", false, ""), AfterHandshake.NOTHING));
    }
}
