package org.sealpost.signing.crypto;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every test class of the module runs with the providers the relay would install: crypto_provider's
 * default, auto (ACCP where it loads), or what -Dsealpost.crypto names (the second surefire run: jdk).
 * Registered for all tests through META-INF/services and junit-platform.properties.
 */
public final class InstalledForTests implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        CryptoProviders.install(ProviderChoice.AUTO);
    }
}
