package org.sealpost.signing.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchProviderException;
import java.security.Signature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.DkimSigner;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.SigningKey;

class CryptoProvidersTest {

    private final boolean accpBefore = CryptoProviders.accpInstalled();

    /** Leaves the provider list as the run had it, so that ProvidersOfThisRunTest checks the run's own. */
    @AfterEach
    void backToTheRunsProviders() throws Exception {
        CryptoProviders.install(accpBefore ? ProviderChoice.ACCP : ProviderChoice.JDK, null, null);
    }

    @Test
    void auto_installsAccpFirst_andSaysWhichVersion() throws Exception {
        assumeTrue(CryptoProviders.loadingError() == null, "ACCP does not load here");
        CryptoInUse inUse = CryptoProviders.install(ProviderChoice.AUTO, null, null);
        assertTrue(inUse.accp());
        assertTrue(CryptoProviders.accpInstalled());
        assertTrue(inUse.startLine().matches("crypto: Amazon Corretto Crypto Provider 2\\.5\\.0 \\(AWS-LC v[0-9.]+\\) "
                + "for RSA, Ed25519, ECDSA, AES-GCM, SHA-2"), inUse.startLine());
    }

    @Test
    void jdk_removesAccp_andDkimStillSigns() throws Exception {
        GeneratedKey key = DkimKeys.generate(KeyType.ED25519, 0); // made while the run's providers are in place
        CryptoInUse inUse = CryptoProviders.install(ProviderChoice.JDK, null, null);
        assertFalse(inUse.accp());
        assertEquals("crypto: the JDK's providers (crypto_provider = jdk)", inUse.startLine());
        assertFalse(CryptoProviders.accpInstalled());
        assertEquals("SunRsaSign", Signature.getInstance("SHA256withRSA").getProvider().getName());
        String fields = new DkimSigner(SigningKey.of("example.com", "s", key.privateKey()))
                .sign("From: a@example.com\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(fields.startsWith("DKIM-Signature:"), fields);
    }

    @Test
    void property_overridesTheConfiguredChoice() throws Exception {
        CryptoInUse inUse = CryptoProviders.install(ProviderChoice.ACCP, "jdk", "UnsatisfiedLinkError: no libamazonCorrettoCryptoProvider");
        assertFalse(inUse.accp());
        assertEquals("crypto: the JDK's providers (-Dsealpost.crypto=jdk)", inUse.startLine());
    }

    @Test
    void auto_withoutTheNativeLibrary_staysWithTheJdk_andSaysWhy() throws Exception {
        CryptoProviders.install(ProviderChoice.JDK, null, null);
        CryptoInUse inUse = CryptoProviders.install(ProviderChoice.AUTO, null, "UnsatisfiedLinkError: libc too old");
        assertFalse(inUse.accp());
        assertFalse(CryptoProviders.accpInstalled());
        assertEquals("crypto: the JDK's providers (ACCP not loaded: UnsatisfiedLinkError: libc too old)", inUse.startLine());
    }

    @Test
    void accp_withoutTheNativeLibrary_failsNamingWhy() {
        NoSuchProviderException e = assertThrows(NoSuchProviderException.class,
                () -> CryptoProviders.install(ProviderChoice.ACCP, null, "UnsatisfiedLinkError: libc too old"));
        assertEquals("the Amazon Corretto Crypto Provider did not load (UnsatisfiedLinkError: libc too old); set "
                + "crypto_provider = auto or jdk to run with the JDK's providers (docs/configuration.md)", e.getMessage());
    }

    @Test
    void unknownPropertyValue_isRefused() {
        NoSuchProviderException e = assertThrows(NoSuchProviderException.class,
                () -> CryptoProviders.install(ProviderChoice.AUTO, "boringssl", null));
        assertEquals("-Dsealpost.crypto=boringssl: expected auto, accp or jdk", e.getMessage());
    }
}
