package org.sealpost.interop;

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
import org.sealpost.dnssec.lab.KnotLab;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.Peers;
import org.sealpost.interop.support.PostfixInstance;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpSink;
import org.sealpost.interop.support.Tls;

/**
 * swaks -> sealpost (dane-only, MX and TLSA from knotd via unbound, validated) -> STARTTLS -> postfix
 * smtpd on 127.0.0.3 -> smtp-sink; and the same with a TLSA record that does not match: deferred.
 */
class PostfixDaneDestinationTest {

    @TempDir
    Path dir;

    @Test
    void daneOnly_deliversToPostfixOverVerifiedTls_andDefersWhenTheKeyDoesNotMatch() throws Exception {
        Path tls = dir.resolve("tls");
        Files.createDirectories(tls);
        Tls.selfSigned(tls, "mx.daneok.good.test");
        String spki = Tls.spkiSha256(tls.resolve("cert.pem"));
        int port = Loopback.freePort("127.0.0.3");
        String zone = "daneok IN MX 10 mx.daneok\nmx.daneok IN A 127.0.0.3\n"
                + "_" + port + "._tcp.mx.daneok IN TLSA 3 1 1 " + spki + "\n"
                + "danebad IN MX 10 mx.danebad\nmx.danebad IN A 127.0.0.3\n"
                + "_" + port + "._tcp.mx.danebad IN TLSA 3 1 1 " + "00".repeat(32) + "\n";
        int submission = Loopback.freePort("127.0.0.1");
        try (KnotLab lab = KnotLab.start(dir.resolve("lab"), zone);
                SmtpSink sink = new SmtpSink(dir, "127.0.0.1")) {
            String unbound = lab.startUnbound().getPort() + "";
            Map<String, String> postfixSettings = PostfixInstance.starttlsRelay("daneok.good.test, danebad.good.test",
                    sink.port, tls.resolve("cert.pem"), tls.resolve("key.pem"));
            Map<String, String> config = SealpostProcess.submissionRelay("relay.interop.test",
                    dir.resolve("sealpost/queue"), submission);
            config.putAll(SealpostProcess.labDnssec(lab.trustAnchors, "127.0.0.1:" + unbound));
            // The MX lookup is real; only the port differs from 25, as the lab's smtpd is not on 25.
            config.put("route.daneok.good.test", "daneok.good.test:" + port);
            config.put("route.danebad.good.test", "danebad.good.test:" + port);
            config.put("tls_default_level", "dane-only");
            config.put("queue_min_backoff", "60s");
            try (PostfixInstance postfix = new PostfixInstance(dir.resolve("postfix"), "mx.daneok.good.test", "127.0.0.3",
                    postfixSettings, port).start();
                    SealpostProcess sealpost = new SealpostProcess(dir.resolve("sealpost"), config).start()) {
                String token = "dane-token-" + System.nanoTime();
                swaks(submission, "bob@daneok.good.test", token);
                swaks(submission, "eve@danebad.good.test", "must not reach an unverified peer");

                String sent = sealpost.awaitLine("to=<bob@daneok.good.test>.*status=sent", Duration.ofSeconds(30));
                assertTrue(sent.contains("(dane-ee)"), sent);
                assertTrue(sealpost.output().contains("Verified TLS connection established to mx.daneok.good.test[127.0.0.3]:"
                        + port), sealpost.output());
                sink.awaitMessage(token, Duration.ofSeconds(30));
                postfix.awaitLog("TLS connection established from", Duration.ofSeconds(10));

                String deferred = sealpost.awaitLine("to=<eve@danebad.good.test>.*status=deferred", Duration.ofSeconds(30));
                assertTrue(deferred.contains("dsn=4.7.5"), deferred);
                Thread.sleep(500);
                assertFalse(sink.messages().stream().anyMatch(m -> m.contains("unverified peer")), "the message went out");
            }
        }
    }

    private static void swaks(int port, String to, String body) throws Exception {
        Peers.require("swaks", "/usr/bin/swaks");
        Process swaks = new ProcessBuilder(List.of("swaks", "--server", "127.0.0.1:" + port, "--from",
                "alice@src.interop.test", "--to", to, "--body", body)).redirectErrorStream(true).start();
        swaks.getInputStream().readAllBytes();
        swaks.waitFor(60, TimeUnit.SECONDS);
    }
}
