package org.sealpost.keyexchange.policy;

/** What a delivery needs from TLS, weakest first. */
public enum TlsLevel {
    /** Never STARTTLS, even when offered (static policy only). */
    NONE,
    /** STARTTLS when the peer offers it; plaintext otherwise (opportunistic, RFC 3207). */
    MAY,
    /** TLS is mandatory, the peer is not authenticated. */
    ENCRYPT,
    /**
     * DANE where the MX host publishes usable secure TLSA records (RFC 7672), then TLS without
     * authentication where they are all unusable; opportunistic TLS where there is no DANE.
     */
    DANE,
    /** DANE or nothing: a host without usable secure TLSA records is not used. */
    DANE_ONLY,
    /** TLS with a chain from a trusted authority naming the MX host (as Postfix's verify). */
    VERIFY,
    /** TLS with a chain from a trusted authority naming the next-hop domain or a name below it. */
    SECURE;

    /** The configuration name of the level, as in Postfix's smtp_tls_security_level. */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Whether a delivery at this level may never fall back to plaintext. */
    public boolean requiresTls() {
        return this == ENCRYPT || this == DANE_ONLY || this == VERIFY || this == SECURE;
    }

    /** Parses a configuration name; throws IllegalArgumentException naming the accepted forms. */
    public static TlsLevel parse(String name) {
        for (TlsLevel level : values()) {
            if (level.configName().equals(name.trim().toLowerCase(java.util.Locale.ROOT))) {
                return level;
            }
        }
        throw new IllegalArgumentException("unknown TLS level '" + name + "', expected one of "
                + java.util.Arrays.stream(values()).map(TlsLevel::configName).toList());
    }
}
