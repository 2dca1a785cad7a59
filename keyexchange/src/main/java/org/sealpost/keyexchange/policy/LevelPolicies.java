package org.sealpost.keyexchange.policy;

import java.util.function.BiFunction;

/**
 * Turns a TLS level into the hop policy that enforces it: the levels that authenticate the peer
 * (DANE) come from a factory given by the wiring, the others authenticate nobody.
 */
public final class LevelPolicies {

    private final BiFunction<TlsLevel, String, HopPolicy> dane;

    /** @param dane makes the hop policy for DANE and DANE_ONLY, given the level and the source name */
    public LevelPolicies(BiFunction<TlsLevel, String, HopPolicy> dane) {
        this.dane = dane;
    }

    /** Levels none, may and encrypt only: for wiring without DNS (tests, the demo). */
    public static LevelPolicies withoutDane() {
        return new LevelPolicies((level, source) -> {
            throw new IllegalArgumentException("the " + level.configName() + " level needs DNSSEC-validated DNS");
        });
    }

    public HopPolicy of(TlsLevel level, String source) {
        return level == TlsLevel.DANE || level == TlsLevel.DANE_ONLY ? dane.apply(level, source)
                : HopPolicy.unauthenticated(level, source);
    }
}
