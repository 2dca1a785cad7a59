package org.sealpost.keyexchange.policy;

import java.util.function.BiFunction;

/**
 * Turns a TLS level into the hop policy that enforces it: the levels that authenticate the peer
 * (DANE) come from a factory given by the wiring, the others authenticate nobody.
 */
public final class LevelPolicies {

    private final BiFunction<TlsLevel, String, HopPolicy> dane;
    private final BiFunction<TlsLevel, String, HopPolicy> pkix;

    /**
     * @param dane makes the hop policy for DANE and DANE_ONLY, given the level and the source name
     * @param pkix makes it for VERIFY and SECURE
     */
    public LevelPolicies(BiFunction<TlsLevel, String, HopPolicy> dane, BiFunction<TlsLevel, String, HopPolicy> pkix) {
        this.dane = dane;
        this.pkix = pkix;
    }

    /** Levels none, may and encrypt only: for wiring without DNS or trust store (tests). */
    public static LevelPolicies unauthenticatedOnly() {
        BiFunction<TlsLevel, String, HopPolicy> refuse = (level, source) -> {
            throw new IllegalArgumentException("the " + level.configName() + " level is not wired here");
        };
        return new LevelPolicies(refuse, refuse);
    }

    public HopPolicy of(TlsLevel level, String source) {
        return switch (level) {
            case DANE, DANE_ONLY -> dane.apply(level, source);
            case VERIFY, SECURE -> pkix.apply(level, source);
            default -> HopPolicy.unauthenticated(level, source);
        };
    }
}
