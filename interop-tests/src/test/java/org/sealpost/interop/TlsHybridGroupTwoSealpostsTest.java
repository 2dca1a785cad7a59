package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpClient;
import org.sealpost.interop.support.SmtpSink;
import org.sealpost.interop.support.Tls;

/**
 * client -> sealpost A (submission, tls_engine X) -> STARTTLS -> sealpost B (mx, tls_engine Y) -> smtp-sink:
 * with BoringSSL on both sides the hop's key exchange is the hybrid X25519MLKEM768, and each side's log
 * says so; with the JDK's engine on one side it is X25519, said by the BoringSSL side alone; with the JDK's on
 * both, neither log names it (a capture of the ServerHello shows x25519: docs/benchmarks.md, "TLS engine").
 */
class TlsHybridGroupTwoSealpostsTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "A {0}, B {1}: {2}")
    @CsvSource({"openssl, openssl, X25519MLKEM768", "openssl, jdk, X25519", "jdk, openssl, X25519", "jdk, jdk, x25519"})
    void theHop_negotiatesTheStrongestGroupBothEnginesOffer_andTheLogsNameIt(String engineA, String engineB, String group)
            throws Exception {
        assumeTrue(System.getProperty("sealpost.tls") == null, "-Dsealpost.tls overrides tls_engine in both relays");
        Path tlsA = dir.resolve("tls-a");
        Path tlsB = dir.resolve("tls-b");
        Files.createDirectories(tlsA);
        Files.createDirectories(tlsB);
        Tls.selfSigned(tlsA, "relay.src.interop.test");
        Tls.selfSigned(tlsB, "mx.pq.interop.test");
        int mx = Loopback.freePort("127.0.0.4");
        int submission = Loopback.freePort("127.0.0.1");
        try (SmtpSink sink = new SmtpSink(dir, "127.0.0.1")) {
            Map<String, String> b = new LinkedHashMap<>();
            b.put("hostname", "mx.pq.interop.test");
            b.put("queue_directory", dir.resolve("b/queue").toString());
            b.put("listeners", "mx");
            b.put("listener.mx.role", "mx");
            b.put("listener.mx.address", "127.0.0.4:" + mx);
            b.put("listener.mx.dmarc_policy", "report");
            b.put("local_domains", "pq.interop.test");
            b.put("tls_cert_file", tlsB.resolve("cert.pem").toString());
            b.put("tls_key_file", tlsB.resolve("key.pem").toString());
            b.put("route.pq.interop.test", "[127.0.0.1]:" + sink.port);
            b.put("recipient_verification", "off");
            b.put("dkim_verify", "no");
            b.put("dnssec", "off");
            b.put("tls_engine", engineB);
            Map<String, String> a = SealpostProcess.submissionRelay("relay.src.interop.test", dir.resolve("a/queue"), submission);
            a.put("tls_cert_file", tlsA.resolve("cert.pem").toString());
            a.put("tls_key_file", tlsA.resolve("key.pem").toString());
            a.put("route.pq.interop.test", "[127.0.0.4]:" + mx);
            a.put("tls_policy.pq.interop.test", "encrypt");
            a.put("queue_min_backoff", "60s");
            a.put("tls_engine", engineA);
            try (SealpostProcess sealpostB = new SealpostProcess(dir.resolve("b"), b).start();
                    SealpostProcess sealpostA = new SealpostProcess(dir.resolve("a"), a).start()) {
                assertTrue(sealpostA.output().contains(startLine(engineA)), sealpostA.output());
                assertTrue(sealpostB.output().contains(startLine(engineB)), sealpostB.output());
                String token = "pq-token-" + System.nanoTime();
                try (SmtpClient client = new SmtpClient("127.0.0.1", submission)) {
                    client.send("alice@src.interop.test", "bob@pq.interop.test", "Subject: hybrid\r\n\r\n" + token);
                }
                sink.awaitMessage(token, Duration.ofSeconds(30));
                String sent = sealpostA.awaitLine("to=<bob@pq.interop.test>.*status=sent", Duration.ofSeconds(30));
                String arrived = sealpostB.awaitLine("Anonymous TLS connection established from", Duration.ofSeconds(10));
                // Only BoringSSL tells the group; the JDK 17 engine's side of the hop says none.
                assertTrue(sent.matches(".*tls=TLSv1\\.3 TLS_\\S+ " + (engineA.equals("openssl") ? group + " " : "") + "\\(none\\).*"),
                        sent);
                assertTrue(engineB.equals("openssl") == arrived.endsWith(" key-exchange " + group), arrived);
            }
        }
    }

    private static String startLine(String engine) {
        return engine.equals("openssl") ? "tls: BoringSSL (netty-tcnative 2.0.84) groups X25519MLKEM768:X25519:P-256:P-384"
                : "tls: the JDK's SSLEngine (tls_engine = jdk) groups x25519:";
    }
}
