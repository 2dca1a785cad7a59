package org.sealpost.transport.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import io.netty.internal.tcnative.SSL;
import java.security.NoSuchProviderException;
import java.util.Arrays;
import java.util.List;

/**
 * Chooses the TLS engine of the listeners (STARTTLS) and the SMTP client, once at start, as tls_engine
 * asks. BoringSSL (netty-tcnative-boringssl-static, netty's OPENSSL provider) handshakes faster than
 * the JDK 17 SSLEngine (docs/benchmarks.md, "TLS engine") and offers the hybrid post-quantum group
 * X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem) before X25519, P-256 and P-384; where its native library
 * does not load, auto stays with the JDK's engine and says why. The MTA-STS policy fetch and the policy
 * HTTPS server use the JDK's HTTP stack and so its engine, whatever this says.
 */
public final class TlsEngines {

    /**
     * The system property that overrides tls_engine (auto, openssl or jdk): the tests run once more
     * with {@code -Dsealpost.tls=jdk}, so that both engines pass the same tests.
     */
    public static final String PROPERTY = "sealpost.tls";

    /** BoringSSL's groups, in order: the hybrid first, as a client sends its key share for it (RFC 8446 4.2.8). */
    static final List<String> BORINGSSL_GROUPS = List.of("X25519MLKEM768", "X25519", "P-256", "P-384");

    /** JDK 17's default of jdk.tls.namedGroups (sun.security.ssl.NamedGroup, SSLConfiguration). */
    static final List<String> JDK_DEFAULT_GROUPS = List.of("x25519", "secp256r1", "secp384r1", "secp521r1", "x448",
            "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192");

    private static volatile TlsEngine current;

    private TlsEngines() {
    }

    /**
     * Chooses what {@code configured} asks for, or what the {@value #PROPERTY} system property names
     * when it is set, for every TLS context made from here on. The relay calls it at start.
     *
     * @throws NoSuchProviderException with openssl, when BoringSSL did not load: the message says why
     */
    public static TlsEngine install(TlsEngineChoice configured) throws NoSuchProviderException {
        TlsEngine chosen = choose(configured, System.getProperty(PROPERTY), unavailabilityCause());
        current = chosen;
        return chosen;
    }

    /** The engine in use: the one installed, or auto's (with the system property) before any start. */
    public static TlsEngine current() {
        TlsEngine engine = current;
        if (engine == null) {
            try {
                engine = install(TlsEngineChoice.AUTO);
            } catch (NoSuchProviderException e) {
                // -Dsealpost.tls=openssl without BoringSSL: what the relay's start would refuse
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return engine;
    }

    /** The engine {@code choice} names, whatever the system property says (the benchmarks and tests of both). */
    public static TlsEngine of(TlsEngineChoice choice) throws NoSuchProviderException {
        return choose(choice, null, unavailabilityCause());
    }

    /** The same choice with the override and BoringSSL's loading error given (null: it loaded), for the tests. */
    static TlsEngine choose(TlsEngineChoice configured, String override, String unavailable) throws NoSuchProviderException {
        TlsEngineChoice choice = configured;
        String source = "tls_engine = " + configured.value();
        if (override != null && !override.isBlank()) {
            choice = TlsEngineChoice.of(override);
            if (choice == null) {
                throw new NoSuchProviderException("-D" + PROPERTY + "=" + override + ": expected auto, openssl or jdk");
            }
            source = "-D" + PROPERTY + "=" + choice.value();
        }
        if (choice == TlsEngineChoice.JDK) {
            return jdk(source);
        }
        if (unavailable != null) {
            if (choice == TlsEngineChoice.OPENSSL) {
                throw new NoSuchProviderException("BoringSSL (netty-tcnative) did not load (" + unavailable
                        + "); set tls_engine = auto or jdk to run with the JDK's SSLEngine (docs/configuration.md)");
            }
            return jdk("BoringSSL not loaded: " + unavailable);
        }
        return new TlsEngine(SslProvider.OPENSSL, OpenSsl.versionString() + " (netty-tcnative " + tcnativeVersion() + ")",
                BORINGSSL_GROUPS);
    }

    private static TlsEngine jdk(String why) {
        String property = System.getProperty("jdk.tls.namedGroups");
        List<String> groups = property == null || property.isBlank() ? JDK_DEFAULT_GROUPS
                : Arrays.stream(property.split(",")).map(String::strip).filter(each -> !each.isEmpty()).toList();
        return new TlsEngine(SslProvider.JDK, "the JDK's SSLEngine (" + why + ")", groups);
    }

    /** "2.0.84" of the tcnative jar's manifest ("2.0.84.Final"). */
    private static String tcnativeVersion() {
        String version = SSL.class.getPackage().getImplementationVersion();
        return version == null ? "unknown version" : version.replaceFirst("\\.Final$", "");
    }

    /** Why BoringSSL cannot be used here, or null when netty-tcnative's native library loaded. */
    public static String unavailabilityCause() {
        try {
            if (OpenSsl.isAvailable()) {
                return null;
            }
            Throwable cause = OpenSsl.unavailabilityCause();
            return cause == null ? "unknown cause" : reason(cause);
        } catch (LinkageError e) {
            return "netty-tcnative is not on the class path: " + reason(e);
        }
    }

    private static String reason(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message.strip());
    }
}
