package org.sealpost.keyexchange.policy;

/** What a delivery needs from TLS, weakest first. */
public enum TlsLevel {
    /** Never STARTTLS, even when offered (static policy only). */
    NONE,
    /** STARTTLS when the peer offers it; plaintext otherwise (opportunistic, RFC 3207). */
    MAY,
    /** TLS is mandatory, the peer is not authenticated. */
    ENCRYPT;

    /** The configuration name of the level, as in Postfix's smtp_tls_security_level. */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
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
