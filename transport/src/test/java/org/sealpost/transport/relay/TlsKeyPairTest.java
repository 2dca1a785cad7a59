package org.sealpost.transport.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.transport.cli.Main;
import org.sealpost.transport.config.Config;
import picocli.CommandLine;

class TlsKeyPairTest {

    @TempDir
    Path dir;

    private void keygen(String name, String algorithm) {
        assertEquals(0, new CommandLine(new Main()).execute("tls", "keygen", "--name", "mx.example.test", "--algorithm",
                algorithm, "--key-out", key(name).toString(), "--cert-out", cert(name).toString()));
    }

    private Path key(String name) {
        return dir.resolve(name + "-key.pem");
    }

    private Path cert(String name) {
        return dir.resolve(name + "-cert.pem");
    }

    private String startFailure(String... tls) {
        List<String> lines = new ArrayList<>(List.of("hostname = mx.example.test", "queue_directory = " + dir.resolve("queue"),
                "listeners = mx", "listener.mx.role = mx", "listener.mx.address = 127.0.0.1:0", "local_domains = example.test"));
        lines.addAll(List.of(tls));
        return assertThrows(StartupFailure.class, () -> Relay.start(Config.parse(dir.resolve("sealpost.conf"), lines)).close())
                .getMessage();
    }

    @Test
    void certificateAndKeyOfOnePair_match_forEcAndRsa() throws Exception {
        keygen("ec", "ec");
        keygen("rsa", "rsa");
        assertEquals(cert("ec"), TlsKeyPair.read(cert("ec"), key("ec")).certificateFile());
        assertEquals(cert("rsa"), TlsKeyPair.read(cert("rsa"), key("rsa")).certificateFile());
    }

    @Test
    void certificateOfAnotherKey_isRefusedAtStart_withBothFilesAndWhatToDo() {
        keygen("one", "ec");
        keygen("two", "ec");
        assertEquals("tls_cert_file " + cert("one") + " does not match tls_key_file " + key("two")
                + ": the certificate's public key is not the key's; make them as a pair with `sealpost tls keygen`",
                startFailure("tls_cert_file = " + cert("one"), "tls_key_file = " + key("two")));
    }

    @Test
    void rsaCertificateWithAnEcKey_isRefused() {
        keygen("rsa", "rsa");
        keygen("ec", "ec");
        String message = assertThrows(StartupFailure.class, () -> TlsKeyPair.read(cert("rsa"), key("ec"))).getMessage();
        assertEquals("tls_cert_file " + cert("rsa") + " does not match tls_key_file " + key("ec")
                + ": the certificate's public key is not the key's; make them as a pair with `sealpost tls keygen`", message);
    }

    @Test
    void nextCertificateOfAnotherKey_isRefusedAtStart() {
        keygen("now", "ec");
        keygen("next", "ec");
        keygen("other", "ec");
        String message = startFailure("tls_cert_file = " + cert("now"), "tls_key_file = " + key("now"),
                "tls_next_cert_file = " + cert("next"), "tls_next_key_file = " + key("other"));
        assertEquals("tls_next_cert_file " + cert("next") + " does not match tls_next_key_file " + key("other")
                + ": the certificate's public key is not the key's; make them as a pair with `sealpost tls keygen`", message);
    }

    @Test
    void missingKeyFile_isOneLineNamingTheFileAndTheKey() {
        keygen("now", "ec");
        assertEquals("tls_key_file " + key("absent") + ": no such file; check tls_key_file",
                startFailure("tls_cert_file = " + cert("now"), "tls_key_file = " + key("absent")));
    }

    @Test
    void certificateFileWithoutACertificate_isOneLineNamingTheFileAndTheKey() throws Exception {
        keygen("now", "ec");
        Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
        assertEquals("tls_cert_file " + dir.resolve("empty.pem") + ": holds no certificate (No certificate data found); "
                + "expected the certificate chain in PEM, the host's certificate first",
                startFailure("tls_cert_file = " + dir.resolve("empty.pem"), "tls_key_file = " + key("now")));
    }

    @Test
    void keyFileHoldingACertificate_isOneLineNamingTheFileAndTheKey() {
        keygen("now", "ec");
        assertEquals("tls_key_file " + cert("now") + ": holds no private key; expected an unencrypted PKCS#8 or PKCS#1 key "
                + "as `sealpost tls keygen` or openssl writes it",
                startFailure("tls_cert_file = " + cert("now"), "tls_key_file = " + cert("now")));
    }

    @Test
    void policyServer_startsWithTheRelay_andAKeyOfAnotherPairOrAPortInUseIsAStartupFailureNamingItsKey() throws Exception {
        keygen("now", "ec");
        keygen("other", "ec");
        List<String> lines = new ArrayList<>(List.of("hostname = mx.example.test", "queue_directory = " + dir.resolve("queue"),
                "listeners = mx", "listener.mx.role = mx", "listener.mx.address = 127.0.0.1:0", "local_domains = example.test",
                "tls_cert_file = " + cert("now"), "tls_key_file = " + key("now"), "mta_sts_policy_listen = 127.0.0.1:0"));
        try (Relay relay = Relay.start(Config.parse(dir.resolve("sealpost.conf"), lines))) {
            assertTrue(relay.policyAddress().isPresent());
        }
        assertEquals("mta_sts_policy_cert_file " + cert("now") + " does not match mta_sts_policy_key_file " + key("other")
                + ": the certificate's public key is not the key's; make them as a pair with `sealpost tls keygen`",
                startFailure("tls_cert_file = " + cert("now"), "tls_key_file = " + key("now"),
                        "mta_sts_policy_listen = 127.0.0.1:0", "mta_sts_policy_key_file = " + key("other")));
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertEquals("mta_sts_policy_listen: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use; stop what uses it or change mta_sts_policy_listen",
                    startFailure("tls_cert_file = " + cert("now"), "tls_key_file = " + key("now"),
                            "mta_sts_policy_listen = 127.0.0.1:" + taken.getLocalPort()));
        }
    }
}
