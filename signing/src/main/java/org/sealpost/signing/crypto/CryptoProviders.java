package org.sealpost.signing.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.NoSuchProviderException;
import java.security.Security;

/**
 * Installs the JCA providers crypto_provider asks for, once at start. The Amazon Corretto Crypto
 * Provider (ACCP, on AWS-LC) signs a 4 KiB mail 2.9 times (RSA-2048) and 15 times (Ed25519) as fast
 * as the JDK 17 providers on the same core (docs/benchmarks.md); DKIM signing and verifying, ARC, and the
 * TLS handshakes and records of the JDK's SSLEngine all go through the provider list, so putting it
 * first is the whole change. Where its native library does not load (another CPU or libc), auto
 * stays with the JDK's providers and says why.
 */
public final class CryptoProviders {

    /**
     * The system property that overrides crypto_provider (auto, accp or jdk): the tests run once more
     * with {@code -Dsealpost.crypto=jdk}, so that both providers pass the same tests.
     */
    public static final String PROPERTY = "sealpost.crypto";

    /** What ACCP does for Sealpost, for the start-up line. */
    private static final String ALGORITHMS = "RSA, Ed25519, ECDSA, AES-GCM, SHA-2";

    private CryptoProviders() {
    }

    /**
     * Installs what {@code configured} asks for, or what the {@value #PROPERTY} system property names
     * when it is set. Idempotent: the relay and the commands call it at start, tests many times.
     *
     * @throws NoSuchProviderException with accp, when ACCP did not load: the message says why
     */
    public static CryptoInUse install(ProviderChoice configured) throws NoSuchProviderException {
        return install(configured, System.getProperty(PROPERTY), loadingError());
    }

    /** The same with the override and ACCP's loading error given (null: it loaded), for the tests. */
    static synchronized CryptoInUse install(ProviderChoice configured, String override, String notLoaded)
            throws NoSuchProviderException {
        ProviderChoice choice = configured;
        String source = "crypto_provider = " + configured.value();
        if (override != null && !override.isBlank()) {
            choice = ProviderChoice.of(override);
            if (choice == null) {
                throw new NoSuchProviderException("-D" + PROPERTY + "=" + override + ": expected auto, accp or jdk");
            }
            source = "-D" + PROPERTY + "=" + choice.value();
        }
        if (choice == ProviderChoice.JDK) {
            // Not installed by us; removed when an earlier start in this JVM installed it.
            Security.removeProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
            return new CryptoInUse(false, "the JDK's providers (" + source + ")");
        }
        if (notLoaded != null) {
            if (choice == ProviderChoice.ACCP) {
                throw new NoSuchProviderException("the Amazon Corretto Crypto Provider did not load (" + notLoaded
                        + "); set crypto_provider = auto or jdk to run with the JDK's providers (docs/configuration.md)");
            }
            return new CryptoInUse(false, "the JDK's providers (ACCP not loaded: " + notLoaded + ")");
        }
        AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
        if (!accpInstalled()) {
            Security.removeProvider(accp.getName()); // somewhere lower in the list: move it to the top
            AmazonCorrettoCryptoProvider.install();
        }
        return new CryptoInUse(true, "Amazon Corretto Crypto Provider " + accp.getVersionStr() + " ("
                + accp.getAwsLcVersionStr() + ") for " + ALGORITHMS);
    }

    /** Whether ACCP is the first provider now (what the tests check of the default run). */
    public static boolean accpInstalled() {
        return Security.getProviders()[0].getName().equals(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
    }

    /** Why ACCP cannot be used here, or null when its native library loaded and passed its self-tests. */
    public static String loadingError() {
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable error = accp.getLoadingError();
            if (error != null) {
                return reason(error);
            }
            accp.assertHealthy(); // the self-tests of AWS-LC
            return null;
        } catch (LinkageError e) {
            return "its jar is not on the class path: " + reason(e);
        } catch (RuntimeException e) {
            return reason(e);
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
