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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.dnssec.lab.KnotLab;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.Peers;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpSink;
import org.sealpost.interop.support.Tls;

/**
 * python smtplib (STARTTLS, MAIL FROM ... REQUIRETLS) -> sealpost A (submission) -> DANE from knotd
 * via unbound -> sealpost B (mx, REQUIRETLS inside TLS) -> smtp-sink; and toward a domain of B without
 * TLSA records: A bounces with 5.7.30 -> smtp-sink, the sender's mailbox.
 */
class RequireTlsTwoSealpostsTest {

    @TempDir
    Path dir;

    @Test
    void requireTls_overVerifiedDane_isDeliveredAndKept_andWithoutDane_bouncesWith5730() throws Exception {
        Path tlsA = dir.resolve("tls-a");
        Path tlsB = dir.resolve("tls-b");
        Files.createDirectories(tlsA);
        Files.createDirectories(tlsB);
        Tls.selfSigned(tlsA, "relay.src.good.test");
        Tls.selfSigned(tlsB, "mx.rt.good.test");
        int mx = Loopback.freePort("127.0.0.4");
        int submission = Loopback.freePort("127.0.0.1");
        String zone = "rt IN MX 10 mx.rt\nmx.rt IN A 127.0.0.4\n"
                + "_" + mx + "._tcp.mx.rt IN TLSA 3 1 1 " + Tls.spkiSha256(tlsB.resolve("cert.pem")) + "\n"
                + "rtno IN MX 10 mx.rtno\nmx.rtno IN A 127.0.0.4\n";
        // Two smtp-sinks, each in a folder of its own below this one, which they reach as nobody.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (KnotLab lab = KnotLab.start(dir.resolve("lab"), zone);
                SmtpSink destination = new SmtpSink(dir.resolve("dest"), "127.0.0.1");
                SmtpSink senderMailbox = new SmtpSink(dir.resolve("sender"), "127.0.0.1")) {
            int unbound = lab.startUnbound().getPort();
            Map<String, String> b = new LinkedHashMap<>();
            b.put("hostname", "mx.rt.good.test");
            b.put("queue_directory", dir.resolve("b/queue").toString());
            b.put("listeners", "mx");
            b.put("listener.mx.role", "mx");
            b.put("listener.mx.address", "127.0.0.4:" + mx);
            b.put("listener.mx.dmarc_policy", "report");
            b.put("local_domains", "rt.good.test, rtno.good.test");
            b.put("tls_cert_file", tlsB.resolve("cert.pem").toString());
            b.put("tls_key_file", tlsB.resolve("key.pem").toString());
            // The hand-off to the mailboxes on this machine (docs/postfix.md): smtp-sink has no REQUIRETLS.
            b.put("route.rt.good.test", "[127.0.0.1]:" + destination.port);
            b.put("route.rtno.good.test", "[127.0.0.1]:" + destination.port);
            b.put("recipient_verification", "off");
            b.put("dkim_verify", "no");
            b.put("dnssec", "off");
            Map<String, String> a = SealpostProcess.submissionRelay("relay.src.good.test", dir.resolve("a/queue"),
                    submission);
            a.put("tls_cert_file", tlsA.resolve("cert.pem").toString());
            a.put("tls_key_file", tlsA.resolve("key.pem").toString());
            a.putAll(SealpostProcess.labDnssec(lab.trustAnchors, "127.0.0.1:" + unbound));
            // Real MX and TLSA lookups; only the port is not 25.
            a.put("route.rt.good.test", "rt.good.test:" + mx);
            a.put("route.rtno.good.test", "rtno.good.test:" + mx);
            a.put("route.src.good.test", "[127.0.0.1]:" + senderMailbox.port);
            a.put("queue_min_backoff", "60s");
            try (SealpostProcess sealpostB = new SealpostProcess(dir.resolve("b"), b).start();
                    SealpostProcess sealpostA = new SealpostProcess(dir.resolve("a"), a).start()) {
                String token = "requiretls-token-" + System.nanoTime();
                String secret = "body-that-must-not-travel-" + System.nanoTime();
                assertEquals("sent", submit(submission, "bob@rt.good.test", token));
                assertEquals("sent", submit(submission, "carol@rtno.good.test", secret));

                String sent = sealpostA.awaitLine("to=<bob@rt.good.test>.*status=sent", Duration.ofSeconds(30));
                assertTrue(sent.contains("(dane-ee)"), sent);
                try {
                    destination.awaitMessage(token, Duration.ofSeconds(30));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nA:\n" + sealpostA.output() + "\nB:\n" + sealpostB.output(), e);
                }
                // B kept the flag: on its arrival and queue lines, from A's MAIL FROM ... REQUIRETLS.
                assertTrue(sealpostB.count("requiretls=yes \\(queue active\\)") >= 1, sealpostB.output());
                assertTrue(sealpostB.count("client=client\\[127\\.0\\.0\\.1\\], helo=relay\\.src\\.good\\.test, requiretls=yes") >= 1,
                        sealpostB.output());
                assertTrue(sealpostB.awaitLine("to=<bob@rt.good.test>.*status=sent", Duration.ofSeconds(30))
                        .contains("relay=127.0.0.1[127.0.0.1]:" + destination.port), sealpostB.output());

                String bounced = sealpostA.awaitLine("to=<carol@rtno.good.test>.*status=bounced", Duration.ofSeconds(30));
                assertTrue(bounced.contains("dsn=5.7.30") && bounced.contains("REQUIRETLS support required: mx.rtno.good.test[127.0.0.4]:"
                        + mx + ": not verified by DANE"), bounced);
                String report = senderMailbox.awaitMessage("Status: 5.7.30", Duration.ofSeconds(30));
                MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()),
                        new ByteArrayInputStream(MessageParts.crlf(report.getBytes(StandardCharsets.ISO_8859_1))));
                assertTrue(parsed.isMimeType("multipart/report"), report);
                assertTrue(report.contains("text/rfc822-headers") && !report.contains(secret),
                        "the report returned the body of a REQUIRETLS message:\n" + report);
                assertFalse(destination.messages().stream().anyMatch(m -> m.contains(secret)), "went to an unverified host");
                // RFC 8689 5: the report itself is queued without REQUIRETLS.
                assertEquals(1, sealpostA.count("from=<>, size=[0-9]+, nrcpt=1 \\(queue active\\)"), sealpostA.output());
            }
        }
    }

    /** python3's smtplib: STARTTLS, EHLO again, REQUIRETLS announced, MAIL FROM:<...> REQUIRETLS. */
    static String submit(int port, String to, String body) throws Exception {
        Peers.require("python3", "/usr/bin/python3");
        String script = String.join("\n",
                "import smtplib, ssl, sys",
                "port, to, body = sys.argv[1], sys.argv[2], sys.argv[3]",
                "context = ssl.create_default_context()",
                "context.check_hostname = False",
                "context.verify_mode = ssl.CERT_NONE",
                "s = smtplib.SMTP('127.0.0.1', int(port), local_hostname='client.interop.test')",
                "s.starttls(context=context)",
                "s.ehlo('client.interop.test')",
                "if not s.has_extn('requiretls'): sys.exit('REQUIRETLS not announced after STARTTLS')",
                "message = 'From: alice@src.good.test\\r\\nTo: ' + to + '\\r\\nSubject: sealed\\r\\n\\r\\n' + body + '\\r\\n'",
                "s.sendmail('alice@src.good.test', [to], message, mail_options=['REQUIRETLS'])",
                "s.quit()",
                "print('sent')");
        Process python = new ProcessBuilder(List.of("python3", "-c", script, String.valueOf(port), to, body))
                .redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(python.waitFor(60, TimeUnit.SECONDS));
        return output;
    }
}
