package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.dnssec.lab.KnotLab;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.Peers;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpSink;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.SigningKey;
import org.sealpost.signing.dkim2.Dkim2Envelope;
import org.sealpost.signing.dkim2.Dkim2Key;
import org.sealpost.signing.dkim2.Dkim2SignOptions;
import org.sealpost.signing.dkim2.Dkim2Signer;

/**
 * (hop 1 signed for the list) swaks -> sealpost A (submission, dkim2_sign: verifies the chain, adds
 * i=2 for its own transaction) -> sealpost B (mx, verifies both hops) -> smtp-sink; then
 * swaks -> A -> a domain with a null MX: A's delivery status notification carries a chain of its own
 * with mf=&lt;&gt; and goes to the sender's MX, B, which verifies it and hands it to smtp-sink.
 * Second: swaks -> A -> B, which cannot deliver it (a null MX behind it) and bounces it, DKIM2-signed,
 * to A's mx listener: A finds its own signature on the returned header section (the message is
 * over bounce_size_limit) and accepts the report;
 * a forged report about a message A never signed is refused before the 250 (-06 12.1.2).
 */
class Dkim2PassOnTest {

    private static final String LIST = "signed.good.test";
    private static final String AUTHOR = "author.good.test";

    @TempDir
    Path dir;

    @Test
    void aChainPassedOn_verifiesHopByHop_andABounceGoesBackWithAChainOfItsOwn() throws Exception {
        Peers.require("swaks", "/usr/bin/swaks");
        GeneratedKey listKey = DkimKeys.generate(KeyType.ED25519, 0);
        GeneratedKey authorKey = DkimKeys.generate(KeyType.RSA, 2048);
        Path keys = dir.resolve("dkim");
        Files.createDirectories(keys);
        Files.writeString(keys.resolve("list.pem"), listKey.privateKeyPem());
        int mx = Loopback.freePort("127.0.0.2");
        String zone = "dest IN MX 10 mx.dest\nsigned IN MX 10 mx.dest\nmx.dest IN A 127.0.0.2\ngone IN MX 0 .\n"
                + listKey.zoneFileLine("l1").replace("._domainkey IN", "._domainkey.signed IN") + "\n"
                + authorKey.zoneFileLine("a1").replace("._domainkey IN", "._domainkey.author IN") + "\n";
        try (KnotLab lab = KnotLab.start(dir.resolve("lab"), zone); SmtpSink sink = new SmtpSink(dir, "127.0.0.1")) {
            String unbound = "127.0.0.1:" + lab.startUnbound().getPort();
            Map<String, String> receiver = SealpostProcess.mxRelay("mx.dest.good.test", dir.resolve("receiver/queue"),
                    "127.0.0.2:" + mx, "dest.good.test, " + LIST);
            receiver.putAll(SealpostProcess.labDnssec(lab.trustAnchors, unbound));
            receiver.put("route.dest.good.test", "[127.0.0.1]:" + sink.port);
            receiver.put("route." + LIST, "[127.0.0.1]:" + sink.port);

            int submission = Loopback.freePort("127.0.0.1");
            Map<String, String> sender = SealpostProcess.submissionRelay("relay." + LIST, dir.resolve("sender/queue"),
                    submission);
            sender.put("dkim_key." + LIST, "l1:" + keys.resolve("list.pem"));
            sender.put("dkim2_sign", LIST);
            sender.putAll(SealpostProcess.labDnssec(lab.trustAnchors, unbound));
            sender.put("route.dest.good.test", "dest.good.test:" + mx);
            sender.put("route." + LIST, LIST + ":" + mx);
            try (SealpostProcess b = new SealpostProcess(dir.resolve("receiver"), receiver).start();
                    SealpostProcess a = new SealpostProcess(dir.resolve("sender"), sender).start()) {
                // Hop 1: the author's server signed a message with an attachment for the list.
                byte[] original = message("Minutes, pass-on-token", 2 * 1024 * 1024);
                String hop1 = new Dkim2Signer(List.of(Dkim2Key.of(new SigningKey(AUTHOR, "a1", KeyType.RSA,
                        authorKey.privateKey())))).sign(original, Dkim2SignOptions.forEnvelope(Dkim2Envelope.of(
                        "ann@" + AUTHOR, "team@" + LIST)));
                Path arrived = dir.resolve("hop1.eml");
                Files.write(arrived, concat(hop1.getBytes(StandardCharsets.US_ASCII), original));

                // The list (behind A's submission listener) passes it on with its own MAIL FROM.
                String sent = Dkim2RelayTest.run(List.of("swaks", "--server", "127.0.0.1:" + submission, "--from",
                        "team-bounces@" + LIST, "--to", "bob@dest.good.test", "--data", "@" + arrived));
                assertTrue(sent.contains("250 "), sent);
                a.awaitLine("DKIM2 fields added \\(d=" + LIST + ", to a chain that verified, mail-from=<team-bounces@"
                        + LIST + ">, rcpt-to=<bob@dest.good.test>\\)", Duration.ofSeconds(60));
                b.awaitLine("checks: from=<team-bounces@" + LIST + ">.*; dkim2=pass \\(i=1 " + AUTHOR + " pass, i=2 "
                        + LIST + " pass\\) header.d=" + AUTHOR + ";", Duration.ofSeconds(60));
                String delivered = sink.awaitMessage("pass-on-token", Duration.ofSeconds(60));
                assertTrue(delivered.contains("DKIM2-Signature: i=2;"), delivered.substring(0, 2000));

                // A message to a domain that takes no mail: A bounces it, and its report is signed for A's domain.
                Path doomed = dir.resolve("doomed.eml");
                Files.write(doomed, message("Doomed, bounce-token", 64 * 1024));
                String bounced = Dkim2RelayTest.run(List.of("swaks", "--server", "127.0.0.1:" + submission, "--from",
                        "alice@" + LIST, "--to", "nobody@gone.good.test", "--data", "@" + doomed));
                assertTrue(bounced.contains("250 "), bounced);
                a.awaitLine("sender non-delivery notification", Duration.ofSeconds(60));
                a.awaitLine("DKIM2 fields added \\(d=" + LIST + ", mail-from=<>, rcpt-to=<alice@" + LIST + ">\\)",
                        Duration.ofSeconds(60));
                String checked = b.awaitLine("checks: from=<>.*; dkim2=pass \\(i=1 " + LIST + " pass\\) header.d=" + LIST
                        + ";", Duration.ofSeconds(60));
                assertFalse(checked.contains("dkim2=fail"), checked);
                String report = sink.awaitMessage("Undelivered Mail Returned to Sender", Duration.ofSeconds(60));
                assertTrue(report.contains("report-type=delivery-status"), report);
                assertTrue(report.contains("bounce-token"), "the original is returned in the report");
                assertTrue(report.contains("Action: failed"), report);
                assertTrue(report.matches("(?s).*Message-Instance: m=1;.*"), "exactly one chain: its own");
                assertEquals(1, report.split("DKIM2-Signature:", -1).length - 1, "one DKIM2-Signature (-06 12.1.1)");
                assertTrue(report.replaceAll("\r?\n[ \t]+", " ").contains("mf=" + Base64.getEncoder().encodeToString(
                        "<>".getBytes(StandardCharsets.US_ASCII))), "the report's chain names the null MAIL FROM");
            }
        }
    }

    @Test
    void aReportAboutOurMessage_isAccepted_andAForgedOneRefused() throws Exception {
        Peers.require("swaks", "/usr/bin/swaks");
        GeneratedKey aKey = DkimKeys.generate(KeyType.ED25519, 0);
        GeneratedKey bKey = DkimKeys.generate(KeyType.ED25519, 0);
        GeneratedKey impostor = DkimKeys.generate(KeyType.ED25519, 0);
        Path keys = dir.resolve("dkim");
        Files.createDirectories(keys);
        Files.writeString(keys.resolve("a.pem"), aKey.privateKeyPem());
        Files.writeString(keys.resolve("b.pem"), bKey.privateKeyPem());
        int bmx = Loopback.freePort("127.0.0.2");
        int amx = Loopback.freePort("127.0.0.3");
        String zone = "dest IN MX 10 mx.dest\nmx.dest IN A 127.0.0.2\nsigned IN MX 10 mx.signed\nmx.signed IN A 127.0.0.3\n"
                + "gone IN MX 0 .\n" + aKey.zoneFileLine("l1").replace("._domainkey IN", "._domainkey.signed IN") + "\n"
                + bKey.zoneFileLine("d1").replace("._domainkey IN", "._domainkey.dest IN") + "\n";
        try (KnotLab lab = KnotLab.start(dir.resolve("lab"), zone); SmtpSink sink = new SmtpSink(dir, "127.0.0.1")) {
            String unbound = "127.0.0.1:" + lab.startUnbound().getPort();
            Map<String, String> receiver = SealpostProcess.mxRelay("mx.dest.good.test", dir.resolve("receiver/queue"),
                    "127.0.0.2:" + bmx, "dest.good.test");
            receiver.putAll(SealpostProcess.labDnssec(lab.trustAnchors, unbound));
            // Behind B, a domain that takes no mail; B accepts without asking it first, then bounces.
            receiver.put("route.dest.good.test", "gone.good.test:25");
            receiver.put("recipient_verification", "off");
            receiver.put("route." + LIST, LIST + ":" + amx);
            receiver.put("dkim_key.dest.good.test", "d1:" + keys.resolve("b.pem"));
            receiver.put("dkim2_sign", "dest.good.test");

            int submission = Loopback.freePort("127.0.0.1");
            Map<String, String> sender = SealpostProcess.submissionRelay("relay." + LIST, dir.resolve("sender/queue"),
                    submission);
            sender.putAll(SealpostProcess.labDnssec(lab.trustAnchors, unbound));
            sender.put("listeners", "submission, mx");
            sender.put("listener.mx.role", "mx");
            sender.put("listener.mx.address", "127.0.0.3:" + amx);
            sender.put("local_domains", LIST);
            sender.put("dkim_key." + LIST, "l1:" + keys.resolve("a.pem"));
            sender.put("dkim2_sign", LIST);
            sender.put("route.dest.good.test", "dest.good.test:" + bmx);
            sender.put("route." + LIST, "[127.0.0.1]:" + sink.port);
            try (SealpostProcess b = new SealpostProcess(dir.resolve("receiver"), receiver).start();
                    SealpostProcess a = new SealpostProcess(dir.resolve("sender"), sender).start()) {
                Path doomed = dir.resolve("doomed.eml");
                Files.write(doomed, message("Alice <alice@" + LIST + ">", "Doomed at B, report-token", 1536 * 1024));
                String sent = Dkim2RelayTest.run(List.of("swaks", "--server", "127.0.0.1:" + submission, "--from",
                        "alice@" + LIST, "--to", "bob@dest.good.test", "--data", "@" + doomed));
                assertTrue(sent.contains("250 "), sent);
                b.awaitLine("checks: from=<alice@" + LIST + ">.*dkim2=pass \\(i=1 " + LIST + " pass\\)", Duration.ofSeconds(60));
                b.awaitLine("sender non-delivery notification", Duration.ofSeconds(60));
                String checked = a.awaitLine("checks: from=<>.*dkim2=pass \\(i=1 dest.good.test pass\\).*verdict=accept; "
                        + "report check: pass \\(the returned message was sent here \\(DKIM2-Signature i=1 d=" + LIST + "\\)",
                        Duration.ofSeconds(60));
                // Over bounce_size_limit (1 MiB), so B returned the header section only (docs/queue.md).
                assertTrue(checked.contains("(its header section was returned)"), checked);
                String report = sink.awaitMessage("Undelivered Mail Returned to Sender", Duration.ofSeconds(60));
                assertTrue(report.contains("text/rfc822-headers") && report.contains("report-token"),
                        "the original's header section came back inside the report");

                // A report B's domain signed about a message A never signed: its signature is someone else's.
                byte[] claimed = message("Alice <alice@" + LIST + ">", "Never sent, forged-token", 4 * 1024);
                String forgedFields = new Dkim2Signer(List.of(Dkim2Key.of(new SigningKey(LIST, "l1", KeyType.ED25519,
                        impostor.privateKey())))).sign(claimed, Dkim2SignOptions.forEnvelope(Dkim2Envelope.of(
                        "alice@" + LIST, "bob@dest.good.test")));
                byte[] forgedReport = report(new String(concat(forgedFields.getBytes(StandardCharsets.US_ASCII), claimed),
                        StandardCharsets.US_ASCII));
                String reportFields = new Dkim2Signer(List.of(Dkim2Key.of(new SigningKey("dest.good.test", "d1",
                        KeyType.ED25519, bKey.privateKey())))).sign(forgedReport, Dkim2SignOptions.forEnvelope(
                        Dkim2Envelope.of("", "alice@" + LIST)));
                Path forged = dir.resolve("forged.eml");
                Files.write(forged, concat(reportFields.getBytes(StandardCharsets.US_ASCII), forgedReport));
                String refused = Dkim2RelayTest.run(List.of("swaks", "--server", "127.0.0.3:" + amx, "--from", "<>",
                        "--to", "alice@" + LIST, "--data", "@" + forged));
                assertTrue(refused.contains("550 5.7.1 Error: this delivery status notification is not about a message "
                        + "sent from here: the returned message: DKIM2-Signature i=1 l1 incorrect signature"), refused);
                assertFalse(sink.messages().stream().anyMatch(m -> m.contains("forged-token")), "nothing was queued");

                // A forged message sent straight to B, which cannot deliver it either: its chain failed on
                // arrival, so B sends no report (-06 10.1), and the sender it names gets no backscatter.
                Path spoofed = dir.resolve("spoofed.eml");
                Files.write(spoofed, concat(forgedFields.getBytes(StandardCharsets.US_ASCII), claimed));
                String accepted = Dkim2RelayTest.run(List.of("swaks", "--server", "127.0.0.2:" + bmx, "--from",
                        "alice@" + LIST, "--to", "bob@dest.good.test", "--data", "@" + spoofed));
                assertTrue(accepted.contains("250 "), accepted);
                b.awaitLine("checks: from=<alice@" + LIST + ">.*dkim2=fail .*incorrect signature", Duration.ofSeconds(60));
                b.awaitLine("no sender non-delivery notification: its DKIM2 chain did not verify on arrival \\(dkim2=fail\\)",
                        Duration.ofSeconds(60));
                Thread.sleep(1000);
                assertEquals(1, sink.messages().stream().filter(m -> m.contains("Undelivered Mail Returned")).count(),
                        "only the report about the real message reached A");
            }
        }
    }

    /** A report from B's domain returning {@code returned} whole. */
    private static byte[] report(String returned) {
        return ("From: MAILER-DAEMON@mx.dest.good.test\r\nTo: alice@" + LIST + "\r\nSubject: Undelivered Mail\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"rb\"\r\n\r\n"
                + "--rb\r\nContent-Type: text/plain\r\n\r\nNo such user.\r\n--rb\r\nContent-Type: message/delivery-status\r\n"
                + "\r\nReporting-MTA: dns; mx.dest.good.test\r\n\r\nFinal-Recipient: rfc822; bob@dest.good.test\r\n"
                + "Action: failed\r\nStatus: 5.1.1\r\n\r\n--rb\r\nContent-Type: message/rfc822\r\n\r\n" + returned
                + "\r\n--rb--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A multipart message with a base64 attachment of {@code size} random octets; CRLF line ends. */
    private static byte[] message(String subject, int size) {
        return message("Ann <ann@" + AUTHOR + ">", subject, size);
    }

    private static byte[] message(String from, String subject, int size) {
        byte[] octets = new byte[size];
        new Random(11).nextBytes(octets);
        String attachment = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(octets);
        String text = "From: " + from + "\r\nTo: team@" + LIST + "\r\nSubject: " + subject + "\r\n"
                + "Message-ID: <" + subject.hashCode() + "@" + AUTHOR + ">\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
                + "The minutes are attached.\r\n--b1\r\nContent-Type: application/octet-stream; name=minutes.bin\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + attachment + "\r\n--b1--\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
