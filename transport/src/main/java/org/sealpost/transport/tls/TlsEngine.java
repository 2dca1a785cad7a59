package org.sealpost.transport.tls;

import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.internal.tcnative.SSL;
import java.util.List;
import javax.net.ssl.SSLEngine;

/**
 * The TLS engine in use, as {@link TlsEngines#install} chose it: netty's OpenSSL engine on
 * BoringSSL, or the JDK's SSLEngine.
 *
 * @param provider netty's name for the engine: OPENSSL (not OPENSSL_REFCNT: its engines are freed
 *     by netty's cleaner, so nothing of ours must release them) or JDK
 * @param description what the start-up line says: the engine, its version, or why it is the JDK's
 * @param groups the key exchange groups offered, in order of preference
 */
public record TlsEngine(SslProvider provider, String description, List<String> groups) {

    public TlsEngine {
        groups = List.copyOf(groups);
    }

    /** Whether this is BoringSSL. */
    public boolean boringSsl() {
        return provider == SslProvider.OPENSSL;
    }

    /**
     * {@code builder} set up for this engine: its provider, TLS 1.3 and 1.2 only (RFC 8996 retires
     * the versions before them), and with BoringSSL the groups in our order. The JDK 17 engine has no
     * per-context groups (SSLParameters.setNamedGroups came with JDK 20): it offers jdk.tls.namedGroups.
     */
    public SslContextBuilder configure(SslContextBuilder builder) {
        builder.sslProvider(provider).protocols("TLSv1.3", "TLSv1.2");
        if (boringSsl()) {
            builder.option(OpenSslContextOption.GROUPS, groups.toArray(new String[0]));
        }
        return builder;
    }

    /** The one line the relay logs at start. */
    public String startLine() {
        return "tls: " + description + " groups " + String.join(":", groups);
    }

    /**
     * The key exchange group {@code engine} negotiated ("X25519MLKEM768", "X25519"), or null where
     * the engine cannot tell: the JDK 17 SSLEngine keeps it to itself (docs/security-levels.md).
     */
    public static String group(SSLEngine engine) {
        if (engine instanceof ReferenceCountedOpenSslEngine openSsl) {
            try {
                long ssl = openSsl.sslPointer();
                String name = ssl == 0 ? null : SSL.getGroupName(ssl);
                return name == null || name.isBlank() ? null : name;
            } catch (Exception e) {
                return null; // TLS 1.2 with RSA key exchange, or an engine already closed
            }
        }
        return null;
    }
}
