package org.sealpost.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.SslProvider;
import java.security.NoSuchProviderException;
import org.junit.jupiter.api.Test;

class TlsEnginesTest {

    @Test
    void auto_takesBoringSslWhereItLoads_andSaysItsVersionAndGroups() throws Exception {
        assumeTrue(TlsEngines.unavailabilityCause() == null, "netty-tcnative-boringssl-static does not load here");
        TlsEngine engine = TlsEngines.choose(TlsEngineChoice.AUTO, null, null);
        assertTrue(engine.boringSsl());
        assertEquals("tls: BoringSSL (netty-tcnative 2.0.84) groups X25519MLKEM768:X25519:P-256:P-384", engine.startLine());
    }

    @Test
    void auto_staysWithTheJdk_whereBoringSslDoesNotLoad_andSaysWhy() throws Exception {
        TlsEngine engine = TlsEngines.choose(TlsEngineChoice.AUTO, null, "UnsatisfiedLinkError: libc too old");
        assertFalse(engine.boringSsl());
        assertEquals(SslProvider.JDK, engine.provider());
        assertTrue(engine.startLine().startsWith("tls: the JDK's SSLEngine (BoringSSL not loaded: UnsatisfiedLinkError: "
                + "libc too old) groups x25519:secp256r1:"), engine.startLine());
    }

    @Test
    void jdk_neverUsesBoringSsl() throws Exception {
        TlsEngine engine = TlsEngines.choose(TlsEngineChoice.JDK, null, null);
        assertFalse(engine.boringSsl());
        assertTrue(engine.startLine().startsWith("tls: the JDK's SSLEngine (tls_engine = jdk) groups "), engine.startLine());
    }

    @Test
    void openssl_withoutBoringSsl_isAFailureThatSaysWhyAndWhatToDo() {
        NoSuchProviderException e = assertThrows(NoSuchProviderException.class,
                () -> TlsEngines.choose(TlsEngineChoice.OPENSSL, null, "UnsatisfiedLinkError: no netty_tcnative"));
        assertEquals("BoringSSL (netty-tcnative) did not load (UnsatisfiedLinkError: no netty_tcnative); set tls_engine = "
                + "auto or jdk to run with the JDK's SSLEngine (docs/configuration.md)", e.getMessage());
    }

    @Test
    void systemProperty_overridesTheKey_andABadValueNamesTheForms() throws Exception {
        TlsEngine engine = TlsEngines.choose(TlsEngineChoice.OPENSSL, "jdk", "UnsatisfiedLinkError: no netty_tcnative");
        assertTrue(engine.startLine().startsWith("tls: the JDK's SSLEngine (-Dsealpost.tls=jdk) groups "), engine.startLine());
        NoSuchProviderException e = assertThrows(NoSuchProviderException.class,
                () -> TlsEngines.choose(TlsEngineChoice.AUTO, "boringssl", null));
        assertEquals("-Dsealpost.tls=boringssl: expected auto, openssl or jdk", e.getMessage());
    }

    @Test
    void jdkGroups_areJdkTlsNamedGroups_whenItIsSet() throws Exception {
        String before = System.getProperty("jdk.tls.namedGroups");
        System.setProperty("jdk.tls.namedGroups", "secp256r1, x25519");
        try {
            assertEquals(java.util.List.of("secp256r1", "x25519"), TlsEngines.choose(TlsEngineChoice.JDK, null, null).groups());
        } finally {
            if (before == null) {
                System.clearProperty("jdk.tls.namedGroups");
            } else {
                System.setProperty("jdk.tls.namedGroups", before);
            }
        }
    }
}
