package org.sealpost.transport.relay;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.sealpost.signing.crypto.CryptoProviders;
import org.sealpost.signing.crypto.ProviderChoice;
import org.sealpost.transport.tls.TlsEngineChoice;
import org.sealpost.transport.tls.TlsEngines;

/**
 * Every test class of the module runs with the providers a relay with the default crypto_provider
 * installs: auto (ACCP where it loads), or what -Dsealpost.crypto names (the second surefire run:
 * jdk); likewise the TLS engine of tls_engine = auto (BoringSSL where it loads) or -Dsealpost.tls. Registered for all tests through META-INF/services and junit-platform.properties.
 */
public final class InstalledForTests implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        CryptoProviders.install(ProviderChoice.AUTO);
        TlsEngines.install(TlsEngineChoice.AUTO); // and the TLS engine of tls_engine = auto, or -Dsealpost.tls's
    }
}
