package org.sealpost.keyexchange.mtasts;

import java.security.cert.TrustAnchor;
import java.time.Duration;
import java.util.Set;

/**
 * How policies are fetched.
 *
 * @param port the policy host's HTTPS port ({@code mta_sts_port}; 443 but in tests)
 * @param anchors the certificate authorities the policy host's chain must validate to
 *     ({@code tls_ca_file}, or the JDK's cacerts)
 * @param connectTimeout for each TCP connection to an address of the policy host
 * @param readTimeout the longest silence while reading the answer
 * @param fetchTimeout the whole fetch: lookup, connections, TLS handshake, answer
 * @param firstWait how long a request waits for a fetch it needs (no policy cached, or a new
 *     id); past it the request goes on with what is cached and the fetch goes on in the background
 */
public record StsSettings(int port, Set<TrustAnchor> anchors, Duration connectTimeout, Duration readTimeout,
        Duration fetchTimeout, Duration firstWait) {

    public static final int DEFAULT_PORT = 443;

    public StsSettings {
        anchors = Set.copyOf(anchors);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("mta_sts_port " + port + " is not a port number (1 to 65535)");
        }
    }

    /** The defaults for a port and trust store: 10 s to connect, 10 s of silence, 20 s in all. */
    public static StsSettings of(int port, Set<TrustAnchor> anchors) {
        return new StsSettings(port, anchors, Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofSeconds(20), Duration.ofSeconds(20));
    }
}
