package org.sealpost.transport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** sealpost tls keygen, and sealpost dns records for the keys it made. */
class TlsCommandTest {

    @TempDir
    Path dir;

    private record Run(int status, String out) {
    }

    private static Run sealpost(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            return new Run(new CommandLine(new Main()).execute(args), out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    private static X509Certificate read(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void keygen_writesAKeyOnlyItsOwnerReads_aCertificate_andItsTlsaRecord() throws Exception {
        for (String algorithm : List.of("ec", "rsa")) {
            Path key = dir.resolve(algorithm + "-key.pem");
            Path cert = dir.resolve(algorithm + "-cert.pem");
            Run run = sealpost("tls", "keygen", "--name", "mx.example.test", "--algorithm", algorithm,
                    "--key-out", key.toString(), "--cert-out", cert.toString());
            assertEquals(0, run.status(), run.out());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
            assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"), "not PKCS#8");
            assertEquals("_25._tcp.mx.example.test. IN TLSA 3 1 1 " + TlsCommand.tlsa311(read(cert)), run.out().strip());
            // The pair is usable as a listener's key and certificate.
            SslContextBuilder.forServer(cert.toFile(), key.toFile()).build();
        }
    }

    @Test
    void keygen_neverOverwritesAKey() throws Exception {
        Path key = dir.resolve("key.pem");
        Files.writeString(key, "in use");
        assertEquals(2, sealpost("tls", "keygen", "--name", "mx.example.test", "--key-out", key.toString(),
                "--cert-out", dir.resolve("cert.pem").toString()).status());
        assertEquals("in use", Files.readString(key));
    }

    @Test
    void dnsRecords_listTheCurrentAndTheNextKeyForEveryStarttlsListener() throws Exception {
        for (String which : List.of("now", "next")) {
            sealpost("tls", "keygen", "--name", "mx.example.test", "--key-out", dir.resolve(which + "-key.pem").toString(),
                    "--cert-out", dir.resolve(which + "-cert.pem").toString());
        }
        Path config = dir.resolve("sealpost.conf");
        Files.write(config, List.of("hostname = mx.example.test", "tls_cert_file = now-cert.pem",
                "tls_key_file = now-key.pem", "tls_next_cert_file = next-cert.pem", "listeners = mx, plain",
                "listener.mx.role = mx", "listener.mx.address = 127.0.0.1:25",
                "listener.plain.role = submission", "listener.plain.address = 127.0.0.1:10025",
                "listener.plain.starttls = no"));
        Run run = sealpost("dns", "records", "--config", config.toString());
        assertEquals(0, run.status(), run.out());
        assertEquals(List.of(
                "_25._tcp.mx.example.test. IN TLSA 3 1 1 " + TlsCommand.tlsa311(read(dir.resolve("now-cert.pem")))
                        + "   ; current key",
                "_25._tcp.mx.example.test. IN TLSA 3 1 1 " + TlsCommand.tlsa311(read(dir.resolve("next-cert.pem")))
                        + "   ; next key"), run.out().lines().toList());
    }

    @Test
    void nextKey_writesTheConfiguredNextKey_andPrintsBothRecords_once() throws Exception {
        sealpost("tls", "keygen", "--name", "mx.example.test", "--key-out", dir.resolve("key.pem").toString(),
                "--cert-out", dir.resolve("cert.pem").toString());
        Path config = dir.resolve("sealpost.conf");
        Files.writeString(config, String.join("\n", "hostname = mx.example.test", "queue_directory = " + dir.resolve("q"),
                "listeners = mx", "listener.mx.role = mx", "listener.mx.address = 127.0.0.1:25",
                "tls_cert_file = cert.pem", "tls_key_file = key.pem",
                "tls_next_cert_file = next-cert.pem", "tls_next_key_file = next-key.pem") + "\n");
        Run before = sealpost("dns", "records", "--config", config.toString());
        assertEquals(1, before.out().strip().lines().count(), "a next key not yet made has no record: " + before.out());
        Run run = sealpost("tls", "next-key", "--config", config.toString());
        assertEquals(0, run.status(), run.out());
        assertTrue(run.out().contains("_25._tcp.mx.example.test. IN TLSA 3 1 1 " + TlsCommand.tlsa311(read(dir.resolve("cert.pem")))
                + "   ; current key"), run.out());
        assertTrue(run.out().contains("_25._tcp.mx.example.test. IN TLSA 3 1 1 "
                + TlsCommand.tlsa311(read(dir.resolve("next-cert.pem"))) + "   ; next key"), run.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("next-key.pem"))));
        assertEquals(Main.CONFIG_ERROR, sealpost("tls", "next-key", "--config", config.toString()).status(),
                "a next key in place is never overwritten");
    }

    @Test
    void dnsRecords_printTheMtaStsAndTlsRptRecords_andAPolicyFileTheStrictParserAccepts() throws Exception {
        sealpost("tls", "keygen", "--name", "mx.example.test", "--key-out", dir.resolve("key.pem").toString(),
                "--cert-out", dir.resolve("cert.pem").toString());
        Path config = dir.resolve("sealpost.conf");
        List<String> base = List.of("hostname = mx.example.test", "tls_cert_file = cert.pem", "tls_key_file = key.pem",
                "listeners = mx", "listener.mx.role = mx", "listener.mx.address = 127.0.0.1:25",
                "local_domains = example.test, example.org", "tlsrpt_rua = mailto:tlsrpt@example.test");
        Files.write(config, base);
        Run run = sealpost("dns", "records", "--config", config.toString());
        assertEquals(0, run.status(), run.out());
        Run file = sealpost("dns", "records", "--config", config.toString(), "--policy-file");
        assertEquals("version: STSv1\r\nmode: testing\r\nmx: mx.example.test\r\nmax_age: 604800\r\n", file.out());
        org.sealpost.keyexchange.mtasts.StsPolicy parsed = org.sealpost.keyexchange.mtasts.StsPolicy.parse(file.out(),
                "x", java.time.Instant.EPOCH);
        assertEquals(List.of("mx.example.test"), parsed.mx());
        assertEquals("testing", parsed.mode().text());
        String id = run.out().lines().filter(line -> line.startsWith("_mta-sts.example.org. IN TXT")).findFirst()
                .orElseThrow().replaceAll(".*id=([0-9a-f]+).*", "$1");
        assertEquals(20, id.length(), run.out());
        List<String> records = run.out().lines().filter(line -> !line.startsWith(";")).toList();
        assertEquals(List.of(
                "_25._tcp.mx.example.test. IN TLSA 3 1 1 " + TlsCommand.tlsa311(read(dir.resolve("cert.pem"))) + "   ; current key",
                "_smtp._tls.mx.example.test. IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@example.test\"   ; TLS reports about DANE toward this host",
                "_mta-sts.example.org. IN TXT \"v=STSv1; id=" + id + "\"   ; MTA-STS, mode testing",
                "_smtp._tls.example.org. IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@example.test\"   ; TLS reports about MTA-STS toward example.org",
                "_mta-sts.example.test. IN TXT \"v=STSv1; id=" + id + "\"   ; MTA-STS, mode testing",
                "_smtp._tls.example.test. IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@example.test\"   ; TLS reports about MTA-STS toward example.test"),
                records);
        assertTrue(run.out().contains(";   https://mta-sts.example.org/.well-known/mta-sts.txt"), run.out());

        // Another policy is another id, so that senders fetch it (RFC 8461 3.1).
        List<String> enforce = new java.util.ArrayList<>(base);
        enforce.addAll(List.of("mta_sts_policy_mode = enforce", "mta_sts_policy_mx = mx.example.test, *.backup.example.test",
                "mta_sts_policy_domains = example.org"));
        Files.write(config, enforce);
        Run changed = sealpost("dns", "records", "--config", config.toString());
        assertEquals(0, changed.status(), changed.out());
        assertFalse(changed.out().contains(id), changed.out());
        assertFalse(changed.out().contains("_mta-sts.example.test."), "only the domains named: " + changed.out());
        assertEquals(List.of("mx.example.test", "*.backup.example.test"), org.sealpost.keyexchange.mtasts.StsPolicy.parse(
                sealpost("dns", "records", "--config", config.toString(), "--policy-file").out(), "x",
                java.time.Instant.EPOCH).mx());
        assertTrue(changed.out().contains("; enforce: senders deliver only to the mx hosts above"), changed.out());
    }
}
