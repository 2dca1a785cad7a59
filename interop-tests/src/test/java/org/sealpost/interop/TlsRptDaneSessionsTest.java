package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.dnssec.lab.KnotLab;
import org.sealpost.interop.support.DkimFixtures;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.PostfixInstance;
import org.sealpost.interop.support.SealpostCli;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.ShortProcess;
import org.sealpost.interop.support.SmtpClient;
import org.sealpost.interop.support.SmtpSink;
import org.sealpost.interop.support.Tls;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;

/**
 * client -> sealpost (dane; MX, TLSA and _smtp._tls from knotd via unbound) -> STARTTLS postfix -> smtp-sink;
 * sealpost tlsrpt flush (running relay) -> sealpost -> smtp-sink: the reports, read there
 *
 * <p>Several messages (two of them 1 MiB MIME) go to a destination whose TLSA record matches, one to
 * a destination whose TLSA record does not. `sealpost tlsrpt flush` on the running relay sends
 * today's two reports, one per MX host (RFC 8460 3: DANE policies belong to the MX host); each
 * arrives at smtp-sink, is gunzipped and parsed there, and counts exactly the sessions the relay
 * opened: one per connection, not per message. The delivery of the reports is not counted in the
 * next flush.
 */
class TlsRptDaneSessionsTest {

    private static final String REPORTS = "reports@reports.good.test";

    @TempDir
    Path dir;

    @Test
    void sessionsOverDane_andATlsaMismatch_areReportedExactly_byTheRunningRelay() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("tls"));
        Tls.selfSigned(tls, "mx.daneok.good.test");
        String spki = Tls.spkiSha256(tls.resolve("cert.pem"));
        String wrong = "00".repeat(32);
        int port = Loopback.freePort("127.0.0.3");
        String rua = "\"v=TLSRPTv1; rua=mailto:" + REPORTS + "\"";
        String zone = "daneok IN MX 10 mx.daneok\nmx.daneok IN A 127.0.0.3\n"
                + "_" + port + "._tcp.mx.daneok IN TLSA 3 1 1 " + spki + "\n"
                + "_smtp._tls.mx.daneok IN TXT " + rua + "\n"
                + "danebad IN MX 10 mx.danebad\nmx.danebad IN A 127.0.0.3\n"
                + "_" + port + "._tcp.mx.danebad IN TLSA 3 1 1 " + wrong + "\n"
                + "_smtp._tls.mx.danebad IN TXT " + rua + "\n";
        GeneratedKey key = DkimKeys.generate(KeyType.RSA, 2048);
        Path keyFile = Files.writeString(dir.resolve("rsa.pem"), key.privateKeyPem());
        int submission = Loopback.freePort("127.0.0.1");
        try (KnotLab lab = KnotLab.start(dir.resolve("lab"), zone);
                SmtpSink sink = new SmtpSink(dir, "127.0.0.1")) {
            String unbound = lab.startUnbound().getPort() + "";
            Map<String, String> postfixSettings = PostfixInstance.starttlsRelay("daneok.good.test, danebad.good.test",
                    sink.port, tls.resolve("cert.pem"), tls.resolve("key.pem"));
            postfixSettings.put("message_size_limit", "20000000");
            Map<String, String> config = SealpostProcess.submissionRelay("relay.interop.test",
                    dir.resolve("sealpost/queue"), submission);
            config.putAll(SealpostProcess.labDnssec(lab.trustAnchors, "127.0.0.1:" + unbound));
            config.put("route.daneok.good.test", "daneok.good.test:" + port);
            config.put("route.danebad.good.test", "danebad.good.test:" + port);
            config.put("route.reports.good.test", "[127.0.0.1]:" + sink.port);
            config.put("tls_default_level", "dane");
            config.put("queue_min_backoff", "600s"); // no retry of the deferred message while the test runs
            config.put("dkim_key.example.org", "rsa:" + keyFile);
            config.put("tlsrpt_from", "tlsrpt@example.org");
            config.put("tlsrpt_organization", "Example Org");
            try (PostfixInstance postfix = new PostfixInstance(dir.resolve("postfix"), "mx.daneok.good.test", "127.0.0.3",
                    postfixSettings, port).start();
                    SealpostProcess sealpost = new SealpostProcess(dir.resolve("sealpost"), config).start()) {
                assertTrue(sealpost.output().contains("TLS reporting on: reports from tlsrpt@example.org (Example Org)"),
                        sealpost.output());
                int messages = 5;
                try (SmtpClient client = new SmtpClient("127.0.0.1", submission)) {
                    for (int i = 0; i < messages; i++) {
                        String reply = client.transact("alice@src.interop.test", "", List.of("bob@daneok.good.test"),
                                message("token-" + i, i < 2 ? 1 << 20 : 0));
                        assertTrue(reply.startsWith("250"), reply);
                    }
                    assertTrue(client.transact("alice@src.interop.test", "", List.of("eve@danebad.good.test"),
                            message("must not reach an unverified peer", 0)).startsWith("250"));
                }
                for (int i = 0; i < messages; i++) {
                    sink.awaitMessage("token-" + i, Duration.ofSeconds(60));
                }
                assertEquals(messages, sealpost.awaitCount("to=<bob@daneok\\.good\\.test>.*status=sent", messages,
                        Duration.ofSeconds(30)));
                sealpost.awaitLine("to=<eve@danebad\\.good\\.test>.*dsn=4\\.7\\.5, status=deferred", Duration.ofSeconds(30));
                // One session per connection: the relay's line per TLS connection, and Postfix's per TLS client.
                long verified = sealpost.count("Verified TLS connection established to mx\\.daneok\\.good\\.test\\[127\\.0\\.0\\.3\\]");
                long untrusted = sealpost.count("Untrusted TLS connection established to mx\\.danebad\\.good\\.test");
                assertTrue(verified >= 1 && verified <= messages, sealpost.output());
                assertEquals(1, untrusted, sealpost.output());
                assertEquals(verified + untrusted, postfix.log().lines()
                        .filter(line -> line.matches(".*smtpd\\[\\d+\\]: \\w+ TLS connection established from .*")).count(),
                        postfix.log());

                ShortProcess.Result flushed = SealpostCli.run(dir, new byte[0], "tlsrpt", "flush",
                        "--config=" + sealpost.config());
                assertEquals(0, flushed.status(), flushed.describe());
                assertEquals(2, flushed.out().lines().filter(line -> line.endsWith("sent to mailto:" + REPORTS)).count(),
                        flushed.describe());

                LocalDate today = LocalDate.now(ZoneOffset.UTC);
                JsonNode good = report(sink, "mx.daneok.good.test");
                assertPolicy(good, today, "mx.daneok.good.test", "3 1 1 " + spki, verified, 0);
                assertEquals(0, good.get("policies").get(0).path("failure-details").size());
                JsonNode bad = report(sink, "mx.danebad.good.test");
                assertPolicy(bad, today, "mx.danebad.good.test", "3 1 1 " + wrong, 0, 1);
                JsonNode failure = bad.get("policies").get(0).get("failure-details").get(0);
                assertEquals("tlsa-invalid", failure.get("result-type").textValue());
                assertEquals("127.0.0.1", failure.get("sending-mta-ip").textValue());
                assertEquals("mx.danebad.good.test", failure.get("receiving-mx-hostname").textValue());
                assertEquals("127.0.0.3", failure.get("receiving-ip").textValue());
                assertEquals("4.7.5", failure.get("failure-reason-code").textValue());
                assertEquals(1, failure.get("failed-session-count").longValue());

                // RFC 8460 5.1: the sessions that delivered the reports are not counted.
                assertEquals(2, sealpost.awaitCount("to=<" + REPORTS + ">.*status=sent", 2, Duration.ofSeconds(30)));
                ShortProcess.Result again = SealpostCli.run(dir, new byte[0], "tlsrpt", "flush",
                        "--config=" + sealpost.config());
                assertEquals(0, again.status(), again.describe());
                assertEquals("tlsrpt: nothing to report", again.out().strip(), again.describe());
            }
        }
    }

    /** A MIME message with {@code token} in its text and, when {@code attachment} > 0, that many random octets base64-encoded. */
    private static byte[] message(String token, int attachment) {
        StringBuilder text = new StringBuilder("From: <alice@src.interop.test>\r\nTo: <bob@daneok.good.test>\r\n"
                + "Subject: " + token + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n"
                + token + "\r\n");
        if (attachment > 0) {
            byte[] octets = new byte[attachment];
            new Random(attachment).nextBytes(octets);
            text.append("--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                    .append(Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(octets))
                    .append("\r\n");
        }
        return text.append("--b1--\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The report about {@code domain} as smtp-sink received it: signed, TLS-Required: No, the JSON gunzipped. */
    private static JsonNode report(SmtpSink sink, String domain) throws Exception {
        String token = "TLS-Report-Domain: " + domain;
        Instant deadline = Instant.now().plusSeconds(60);
        String dump = sink.awaitMessage(token, Duration.ofSeconds(60));
        while (!dump.contains("--\r\n") && !dump.contains("--\n") && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            dump = sink.awaitMessage(token, Duration.ofSeconds(1));
        }
        byte[] message = DkimFixtures.toCrlf(dump.replaceAll(
                "(?m)\\A(?:X-(?:Client-[A-Za-z]+|Helo-Args|Mail-Args|Rcpt-Args): [^\n]*\n)+", "")
                .getBytes(StandardCharsets.ISO_8859_1));
        MimeMessage mail = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message));
        assertEquals("No", mail.getHeader("TLS-Required", ","));
        assertTrue(mail.getHeader("DKIM-Signature", ",").contains("d=example.org"), mail.getHeader("DKIM-Signature", ","));
        Part gz = ((MimeMultipart) mail.getContent()).getBodyPart(1);
        assertTrue(gz.isMimeType("application/tlsrpt+gzip"), gz.getContentType());
        try (GZIPInputStream in = new GZIPInputStream(gz.getInputStream())) {
            return new ObjectMapper().readTree(in.readAllBytes());
        }
    }

    /** RFC 8460 4.4: one tlsa policy for the MX host, with the day's session counts. */
    private static void assertPolicy(JsonNode json, LocalDate day, String mxHost, String tlsa, long successes,
            long failures) {
        assertEquals("Example Org", json.get("organization-name").textValue());
        assertEquals(day + "T00:00:00Z", json.get("date-range").get("start-datetime").textValue());
        assertEquals(1, json.get("policies").size(), json.toString());
        JsonNode policy = json.get("policies").get(0);
        assertEquals("tlsa", policy.get("policy").get("policy-type").textValue());
        assertEquals(mxHost, policy.get("policy").get("policy-domain").textValue());
        assertEquals("[\"" + tlsa + "\"]", policy.get("policy").get("policy-string").toString());
        assertEquals("[\"" + mxHost + "\"]", policy.get("policy").get("mx-host").toString());
        assertEquals(successes, policy.get("summary").get("total-successful-session-count").longValue(), json.toString());
        assertEquals(failures, policy.get("summary").get("total-failure-session-count").longValue(), json.toString());
    }
}
