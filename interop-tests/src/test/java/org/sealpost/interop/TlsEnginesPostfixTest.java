package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.PostfixInstance;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpClient;
import org.sealpost.interop.support.SmtpSink;
import org.sealpost.interop.support.Tls;

/**
 * client -> sealpost (tls_engine X) -> STARTTLS -> postfix smtpd -> smtp-sink, and postfix sendmail -> postfix
 * smtp -> STARTTLS -> sealpost mx (tls_engine X) -> smtp-sink: Postfix on OpenSSL 3.0 (no ML-KEM) and
 * either engine agree on X25519, as Postfix's key-exchange log says on both sides.
 */
class TlsEnginesPostfixTest {

    @TempDir
    Path dir;

    /** The engine of this run: tls_engine, unless -Dsealpost.tls (the second run's jdk) overrides it. */
    private static String engine(String configured) {
        String run = System.getProperty("sealpost.tls");
        return run == null || run.isBlank() ? configured : run;
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void sealpostToPostfix_overStarttls_withX25519(String configured) throws Exception {
        Path tls = dir.resolve("tls");
        Files.createDirectories(tls);
        Tls.selfSigned(tls, "mx.pf.interop.test");
        int submission = Loopback.freePort("127.0.0.1");
        try (SmtpSink sink = new SmtpSink(dir, "127.0.0.1");
                PostfixInstance postfix = new PostfixInstance(dir.resolve("postfix"), "mx.pf.interop.test", "127.0.0.3",
                        PostfixInstance.starttlsRelay("pf.interop.test", sink.port, tls.resolve("cert.pem"),
                                tls.resolve("key.pem"))).start()) {
            Map<String, String> config = SealpostProcess.submissionRelay("relay.interop.test", dir.resolve("sealpost/queue"),
                    submission);
            config.put("route.pf.interop.test", "[127.0.0.3]:" + postfix.port);
            config.put("tls_policy.pf.interop.test", "encrypt");
            config.put("queue_min_backoff", "60s");
            config.put("tls_engine", configured);
            try (SealpostProcess sealpost = new SealpostProcess(dir.resolve("sealpost"), config).start()) {
                String token = "engine-out-" + System.nanoTime();
                try (SmtpClient client = new SmtpClient("127.0.0.1", submission)) {
                    client.send("alice@src.interop.test", "bob@pf.interop.test", "Subject: to postfix\r\n\r\n" + token);
                }
                sink.awaitMessage(token, Duration.ofSeconds(30));
                String sent = sealpost.awaitLine("to=<bob@pf.interop.test>.*status=sent", Duration.ofSeconds(30));
                String boring = engine(configured).equals("openssl") ? "X25519 " : "";
                assertTrue(sent.matches(".*tls=TLSv1\\.3 TLS_\\S+ " + boring + "\\(none\\).*"), sent);
                String established = postfix.awaitLog("Anonymous TLS connection established from .*127\\.0\\.0\\.1",
                        Duration.ofSeconds(10));
                assertTrue(established.contains("key-exchange X25519"), established);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void postfixToSealpost_overStarttls_withX25519(String configured) throws Exception {
        Path tls = dir.resolve("tls");
        Files.createDirectories(tls);
        Tls.selfSigned(tls, "mx.en.interop.test");
        int mx = Loopback.freePort("127.0.0.2");
        try (SmtpSink sink = new SmtpSink(dir, "127.0.0.1")) {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("hostname", "mx.en.interop.test");
            config.put("queue_directory", dir.resolve("sealpost/queue").toString());
            config.put("listeners", "mx");
            config.put("listener.mx.role", "mx");
            config.put("listener.mx.address", "127.0.0.2:" + mx);
            config.put("listener.mx.dmarc_policy", "report");
            config.put("tls_cert_file", tls.resolve("cert.pem").toString());
            config.put("tls_key_file", tls.resolve("key.pem").toString());
            config.put("local_domains", "en.interop.test");
            config.put("route.en.interop.test", "[127.0.0.1]:" + sink.port);
            config.put("recipient_verification", "off");
            config.put("dkim_verify", "no");
            config.put("tls_engine", configured);
            Map<String, String> postfixSettings = new LinkedHashMap<>();
            postfixSettings.put("relayhost", "[127.0.0.2]:" + mx);
            postfixSettings.put("smtp_tls_security_level", "encrypt");
            postfixSettings.put("smtp_tls_loglevel", "1");
            try (SealpostProcess sealpost = new SealpostProcess(dir.resolve("sealpost"), config).start();
                    PostfixInstance postfix = new PostfixInstance(dir.resolve("postfix"), "postfix.interop.test", "127.0.0.3",
                            postfixSettings).start()) {
                String token = "engine-in-" + System.nanoTime();
                postfix.sendmail("alice@postfix.interop.test", "bob@en.interop.test",
                        "From: alice@postfix.interop.test\nTo: bob@en.interop.test\nSubject: engines\n\n" + token + "\n");
                postfix.awaitLog("to=<bob@en.interop.test>.*status=sent", Duration.ofSeconds(30));
                String established = postfix.awaitLog("TLS connection established to 127.0.0.2\\[127.0.0.2\\]:" + mx,
                        Duration.ofSeconds(5));
                assertTrue(established.contains("key-exchange X25519"), established);
                sink.awaitMessage(token, Duration.ofSeconds(30));
                String arrived = sealpost.awaitLine("Anonymous TLS connection established from", Duration.ofSeconds(10));
                assertTrue(engine(configured).equals("openssl") == arrived.endsWith(" key-exchange X25519"), arrived);
            }
        }
    }
}
