package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.Peers;
import org.sealpost.interop.support.PostfixInstance;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpSink;
import org.sealpost.interop.support.Tls;

/** swaks -> sealpost submission -> STARTTLS (policy encrypt) -> postfix smtpd on 127.0.0.3 -> smtp-sink */
class PostfixDestinationTlsTest {

    @TempDir
    Path dir;

    private SealpostProcess sealpost(int submission, int destinationPort) throws Exception {
        Map<String, String> config = SealpostProcess.submissionRelay("relay.interop.test",
                dir.resolve("sealpost/queue"), submission);
        config.put("route.dest.interop.test", "[127.0.0.3]:" + destinationPort);
        config.put("tls_policy.dest.interop.test", "encrypt");
        config.put("queue_min_backoff", "60s");
        return new SealpostProcess(dir.resolve("sealpost"), config).start();
    }

    private PostfixInstance destination(boolean starttls, int sinkPort) throws Exception {
        Path tls = dir.resolve("tls");
        Files.createDirectories(tls);
        Tls.selfSigned(tls, "mx.dest.interop.test");
        Map<String, String> settings = PostfixInstance.starttlsRelay("dest.interop.test", sinkPort,
                tls.resolve("cert.pem"), tls.resolve("key.pem"));
        settings.put("smtpd_tls_security_level", starttls ? "may" : "none");
        return new PostfixInstance(dir.resolve("postfix"), "mx.dest.interop.test", "127.0.0.3", settings).start();
    }

    private static void swaks(int port, String to, String body) throws Exception {
        Peers.require("swaks", "/usr/bin/swaks");
        Process swaks = new ProcessBuilder(List.of("swaks", "--server", "127.0.0.1:" + port, "--from",
                "alice@src.interop.test", "--to", to, "--body", body)).redirectErrorStream(true).start();
        String transcript = new String(swaks.getInputStream().readAllBytes());
        swaks.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, swaks.exitValue(), transcript);
    }

    @Test
    void encryptPolicy_deliversToPostfixOverStarttls() throws Exception {
        int submission = Loopback.freePort("127.0.0.1");
        try (SmtpSink sink = new SmtpSink(dir, "127.0.0.1");
                PostfixInstance postfix = destination(true, sink.port);
                SealpostProcess sealpost = sealpost(submission, postfix.port)) {
            String token = "tls-token-" + System.nanoTime();
            swaks(submission, "bob@dest.interop.test", token);

            String sent = sealpost.awaitLine("to=<bob@dest.interop.test>.*status=sent", Duration.ofSeconds(30));
            assertTrue(sent.contains("relay=127.0.0.3[127.0.0.3]:" + postfix.port), sent);
            assertTrue(sent.matches(".*tls=TLSv1\\.[23] .*"), sent);
            postfix.awaitLog("Anonymous TLS connection established from .*127\\.0\\.0\\.1", Duration.ofSeconds(10));
            postfix.awaitLog("status=sent", Duration.ofSeconds(30));
            sink.awaitMessage(token, Duration.ofSeconds(30));
        }
    }

    @Test
    void encryptPolicy_withoutStarttlsAtPostfix_defersAndSendsNothing() throws Exception {
        int submission = Loopback.freePort("127.0.0.1");
        try (SmtpSink sink = new SmtpSink(dir, "127.0.0.1");
                PostfixInstance postfix = destination(false, sink.port);
                SealpostProcess sealpost = sealpost(submission, postfix.port)) {
            swaks(submission, "bob@dest.interop.test", "must not travel in plaintext");

            String deferred = sealpost.awaitLine("to=<bob@dest.interop.test>.*status=deferred", Duration.ofSeconds(30));
            assertTrue(deferred.contains("dsn=4.7.4"), deferred);
            assertTrue(deferred.contains("TLS is required by policy encrypt (static), but was not offered"), deferred);
            Thread.sleep(1000);
            assertFalse(postfix.log().contains("status=sent"), postfix.log());
            assertTrue(sink.messages().isEmpty());
        }
    }
}
