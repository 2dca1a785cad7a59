package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.dnssec.lab.KnotLab;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.PostfixInstance;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpClient;
import org.sealpost.interop.support.SmtpSink;
import org.sealpost.interop.support.Tls;

/**
 * python smtplib (REQUIRETLS) -> sealpost (dane, knotd via unbound) -> postfix 3.7 smtpd (STARTTLS,
 * TLSA matching, no REQUIRETLS): bounced with 5.7.30 -> smtp-sink, the sender's mailbox; and
 * TLS-Required: No -> postfix with a TLSA record that does not match, -> smtp-sink without STARTTLS
 * under dane: delivered; -> the same smtp-sink under a static tls_policy encrypt: deferred.
 */
class RequireTlsPostfixDestinationTest {

    @TempDir
    Path dir;

    @Test
    void requireTlsTowardPostfix37_bouncesWith5730_andTlsRequiredNo_relaxesDaneButNotAStaticPolicy() throws Exception {
        Path tls = dir.resolve("tls");
        Files.createDirectories(tls);
        Tls.selfSigned(tls, "mx.pf.good.test");
        String spki = Tls.spkiSha256(tls.resolve("cert.pem"));
        int postfixPort = Loopback.freePort("127.0.0.3");
        int plainPort = Loopback.freePort("127.0.0.5");
        int submission = Loopback.freePort("127.0.0.1");
        String zone = "pf IN MX 10 mx.pf\nmx.pf IN A 127.0.0.3\n"
                + "_" + postfixPort + "._tcp.mx.pf IN TLSA 3 1 1 " + spki + "\n"
                + "pfbad IN MX 10 mx.pfbad\nmx.pfbad IN A 127.0.0.3\n"
                + "_" + postfixPort + "._tcp.mx.pfbad IN TLSA 3 1 1 " + "00".repeat(32) + "\n"
                + "plain IN MX 10 mx.plain\nmx.plain IN A 127.0.0.5\n"
                + "_" + plainPort + "._tcp.mx.plain IN TLSA 3 1 1 " + spki + "\n";
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (KnotLab lab = KnotLab.start(dir.resolve("lab"), zone);
                SmtpSink behindPostfix = new SmtpSink(dir.resolve("behind"), "127.0.0.1");
                SmtpSink plain = new SmtpSink(dir.resolve("plain"), "127.0.0.5", plainPort);
                SmtpSink senderMailbox = new SmtpSink(dir.resolve("sender"), "127.0.0.1")) {
            int unbound = lab.startUnbound().getPort();
            Map<String, String> postfixSettings = PostfixInstance.starttlsRelay("pf.good.test, pfbad.good.test",
                    behindPostfix.port, tls.resolve("cert.pem"), tls.resolve("key.pem"));
            Map<String, String> config = SealpostProcess.submissionRelay("relay.src.good.test",
                    dir.resolve("sealpost/queue"), submission);
            config.put("tls_cert_file", tls.resolve("cert.pem").toString());
            config.put("tls_key_file", tls.resolve("key.pem").toString());
            config.putAll(SealpostProcess.labDnssec(lab.trustAnchors, "127.0.0.1:" + unbound));
            config.put("route.pf.good.test", "pf.good.test:" + postfixPort);
            config.put("route.pfbad.good.test", "pfbad.good.test:" + postfixPort);
            config.put("route.plain.good.test", "plain.good.test:" + plainPort);
            config.put("route.stat.good.test", "[127.0.0.5]:" + plainPort);
            config.put("tls_policy.stat.good.test", "encrypt");
            config.put("route.src.good.test", "[127.0.0.1]:" + senderMailbox.port);
            config.put("queue_min_backoff", "60s");
            try (PostfixInstance postfix = new PostfixInstance(dir.resolve("postfix"), "mx.pf.good.test", "127.0.0.3",
                    postfixSettings, postfixPort).start();
                    SealpostProcess sealpost = new SealpostProcess(dir.resolve("sealpost"), config).start()) {
                // (b) REQUIRETLS toward Postfix 3.7: verified by DANE, but it does not announce REQUIRETLS.
                String secret = "requiretls-secret-" + System.nanoTime();
                assertEquals("sent", RequireTlsTwoSealpostsTest.submit(submission, "bob@pf.good.test", secret));
                String bounced = sealpost.awaitLine("to=<bob@pf.good.test>.*status=", Duration.ofSeconds(30));
                assertTrue(bounced.contains("dsn=5.7.30, status=bounced (REQUIRETLS support required: mx.pf.good.test[127.0.0.3]:"
                        + postfixPort + ": does not announce REQUIRETLS after STARTTLS)"), bounced);
                String report = senderMailbox.awaitMessage("Status: 5.7.30", Duration.ofSeconds(30));
                MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()),
                        new ByteArrayInputStream(MessageParts.crlf(report.getBytes(StandardCharsets.ISO_8859_1))));
                assertTrue(parsed.isMimeType("multipart/report"), report);
                assertTrue(report.contains("report-type=delivery-status") && report.contains("Action: failed"), report);
                assertFalse(report.contains(secret), "the report returned the protected body:\n" + report);

                // (c) TLS-Required: No, and the same messages without it.
                try (SmtpClient client = new SmtpClient("127.0.0.1", submission)) {
                    for (String to : List.of("dave@pfbad.good.test", "fay@plain.good.test", "gus@stat.good.test")) {
                        assertTrue(client.send("alice@src.good.test", to, "TLS-Required: No\r\nSubject: relaxed\r\n\r\nrelaxed-"
                                + to + "\r\n").startsWith("250"));
                        assertTrue(client.send("alice@src.good.test", "strict-" + to, "Subject: strict\r\n\r\nstrict-"
                                + to + "\r\n").startsWith("250"));
                    }
                }
                behindPostfix.awaitMessage("relaxed-dave@pfbad.good.test", Duration.ofSeconds(30));
                plain.awaitMessage("relaxed-fay@plain.good.test", Duration.ofSeconds(30));
                assertTrue(sealpost.awaitLine("to=<dave@pfbad.good.test>.*status=sent", Duration.ofSeconds(30))
                        .contains("tls=TLSv1."), "not over the TLS that was available");
                assertTrue(sealpost.awaitLine("to=<fay@plain.good.test>.*status=sent", Duration.ofSeconds(30))
                        .contains("tls=none"));
                assertTrue(sealpost.awaitLine("to=<strict-dave@pfbad.good.test>.*status=deferred", Duration.ofSeconds(30))
                        .contains("dsn=4.7.5"));
                assertTrue(sealpost.awaitLine("to=<strict-fay@plain.good.test>.*status=deferred", Duration.ofSeconds(30))
                        .contains("dsn=4.7.4"));
                String statik = sealpost.awaitLine("to=<gus@stat.good.test>.*status=", Duration.ofSeconds(30));
                assertTrue(statik.contains("status=deferred") && statik.contains("dsn=4.7.4"), statik);
                assertEquals(3, sealpost.count("TLS-Required: No: DANE and MTA-STS failures do not stop this message"),
                        sealpost.output());
                Thread.sleep(300);
                assertFalse(plain.messages().stream().anyMatch(m -> m.contains("relaxed-gus") || m.contains("strict-")),
                        "a message went where its policy forbids");
                assertFalse(behindPostfix.messages().stream().anyMatch(m -> m.contains("strict-")), "a strict message went out");
            }
        }
    }
}
