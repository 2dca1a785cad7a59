package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * swaks -> sealpost A (submission, dkim2_sign = yes: a DKIM2-Signature per transaction) -> sealpost B
 * (mx, verifies the chain against each transaction's envelope, keys DNSSEC-validated through unbound)
 * -> smtp-sink; then the delivered copy is sent to B again by swaks, as a replay would send it.
 * Each transaction's rt= names only its own recipients; B reports dkim2=pass for the real delivery,
 * permerror for the same message sent to a recipient it was not sent to, and fail for a copy
 * whose Subject was changed on the way.
 */
class Dkim2RelayTest {

    private static final String SIGNED = "signed.good.test";

    @TempDir
    Path dir;

    @Test
    void eachTransactionSigned_passesAtB_andAReplayOrAChangeIsCaught() throws Exception {
        GeneratedKey rsa = DkimKeys.generate(KeyType.RSA, 2048);
        GeneratedKey ed = DkimKeys.generate(KeyType.ED25519, 0);
        Path keys = dir.resolve("dkim");
        Files.createDirectories(keys);
        Files.writeString(keys.resolve("rsa.pem"), rsa.privateKeyPem());
        Files.writeString(keys.resolve("ed.pem"), ed.privateKeyPem());
        int mx = Loopback.freePort("127.0.0.2");
        String zone = "dest IN MX 10 mx.dest\nother IN MX 10 mx.dest\nmx.dest IN A 127.0.0.2\n"
                + "_dmarc IN TXT \"v=DMARC1; p=none; psd=y\"\n"
                + rsa.zoneFileLine("rsa").replace("._domainkey IN", "._domainkey.signed IN") + "\n"
                + ed.zoneFileLine("ed").replace("._domainkey IN", "._domainkey.signed IN") + "\n";
        try (KnotLab lab = KnotLab.start(dir.resolve("lab"), zone); SmtpSink sink = new SmtpSink(dir, "127.0.0.1")) {
            String unbound = "127.0.0.1:" + lab.startUnbound().getPort();
            Map<String, String> receiver = SealpostProcess.mxRelay("mx.dest.good.test", dir.resolve("receiver/queue"),
                    "127.0.0.2:" + mx, "dest.good.test, other.good.test");
            receiver.putAll(SealpostProcess.labDnssec(lab.trustAnchors, unbound));
            receiver.put("route.dest.good.test", "[127.0.0.1]:" + sink.port);
            receiver.put("route.other.good.test", "[127.0.0.1]:" + sink.port);

            int submission = Loopback.freePort("127.0.0.1");
            Map<String, String> sender = SealpostProcess.submissionRelay("relay.signed.good.test",
                    dir.resolve("sender/queue"), submission);
            sender.put("dkim_key." + SIGNED, "rsa:" + keys.resolve("rsa.pem") + ", ed:" + keys.resolve("ed.pem"));
            sender.put("dkim2_sign", "yes");
            sender.put("dnssec", "off");
            sender.put("dns_resolvers", "127.0.0.1:" + lab.address.getPort());
            sender.put("route.dest.good.test", "dest.good.test:" + mx);
            sender.put("route.other.good.test", "other.good.test:" + mx);
            try (SealpostProcess b = new SealpostProcess(dir.resolve("receiver"), receiver).start();
                    SealpostProcess a = new SealpostProcess(dir.resolve("sender"), sender).start()) {
                // One message to three recipients in two domains: two transactions, two signatures.
                Path attachment = dir.resolve("report.bin");
                byte[] octets = new byte[3 * 1024 * 1024];
                new java.util.Random(7).nextBytes(octets);
                Files.write(attachment, octets);
                String sent = swaks(submission, "alice@" + SIGNED, List.of("bob@dest.good.test", "carol@dest.good.test",
                        "dave@other.good.test"), "--header", "Subject: dkim2-token", "--body", "Greetings, dkim2-token",
                        "--attach", "@" + attachment);
                assertTrue(sent.contains("250 "), sent);
                String toDest = sink.awaitMessage("dkim2-token", Duration.ofSeconds(60));
                a.awaitCount("DKIM2 fields added \\(d=" + SIGNED, 2, Duration.ofSeconds(30));
                b.awaitCount("checks: from=<alice@" + SIGNED + ">.*; dkim2=pass \\(i=1 " + SIGNED + " pass\\) header.d="
                        + SIGNED + ";", 2, Duration.ofSeconds(30));
                List<String> copies = new ArrayList<>();
                for (String message : sink.messages()) {
                    if (message.contains("dkim2-token")) {
                        copies.add(message);
                    }
                }
                assertEquals(2, copies.size(), "one copy per transaction");
                List<List<String>> rcptTos = copies.stream().map(Dkim2RelayTest::rcptTo).sorted((x, y) ->
                        x.size() - y.size()).toList();
                assertEquals(List.of(List.of("<dave@other.good.test>"),
                        List.of("<bob@dest.good.test>", "<carol@dest.good.test>")), rcptTos,
                        "each transaction's rt= names its own recipients only");
                String destCopy = copies.stream().filter(c -> rcptTo(c).size() == 2).findFirst().orElseThrow();

                // The same message sent again to someone it was never sent to: a replay.
                Path replay = dir.resolve("replay.eml");
                Files.write(replay, withoutTrace(destCopy).getBytes(StandardCharsets.UTF_8));
                String replayed = swakRaw(mx, "alice@" + SIGNED, "mallory@dest.good.test", replay);
                assertTrue(replayed.contains("250 "), replayed);
                String replayLine = b.awaitLine("checks: from=<alice@" + SIGNED + ">.*dkim2=permerror.*RCPT TO "
                        + "<mallory@dest.good.test>.*did not match.*header.d=" + SIGNED + " header.i=1",
                        Duration.ofSeconds(30));
                assertFalse(replayLine.contains("dkim2=pass"), replayLine);

                // The same transaction again, with the Subject changed on the way: the header hash fails.
                Path changed = dir.resolve("changed.eml");
                Files.write(changed, withoutTrace(destCopy).replace("Subject: dkim2-token", "Subject: dkim2-token [EXTERNAL]")
                        .getBytes(StandardCharsets.UTF_8));
                String resent = swakRaw(mx, "alice@" + SIGNED, "bob@dest.good.test", changed);
                assertTrue(resent.contains("250 "), resent);
                b.awaitLine("checks: from=<alice@" + SIGNED + ">.*dkim2=fail .*header hash.*header.d=" + SIGNED,
                        Duration.ofSeconds(30));
                assertTrue(toDest.contains("DKIM2-Signature:"), toDest);
            }
        }
    }

    /**
     * swaks -> sealpost B (mx) -> smtp-sink, twice with one DKIM2-signed transaction (-06 11.9): the
     * same signed message, MAIL FROM and RCPT TO. Both are queued (a DKIM2 result is never refused on);
     * the first arrives with dkim2=pass, the second with dkim2=fail as a duplicate.
     */
    @Test
    void theSameSignedTransactionTwice_theSecondArrivesReportedAsADuplicate() throws Exception {
        GeneratedKey ed = DkimKeys.generate(KeyType.ED25519, 0);
        int mx = Loopback.freePort("127.0.0.2");
        String zone = "dest IN MX 10 mx.dest\nmx.dest IN A 127.0.0.2\n_dmarc IN TXT \"v=DMARC1; p=none; psd=y\"\n"
                + ed.zoneFileLine("ed").replace("._domainkey IN", "._domainkey.signed IN") + "\n";
        try (KnotLab lab = KnotLab.start(dir.resolve("lab"), zone); SmtpSink sink = new SmtpSink(dir, "127.0.0.1")) {
            Map<String, String> receiver = SealpostProcess.mxRelay("mx.dest.good.test", dir.resolve("receiver/queue"),
                    "127.0.0.2:" + mx, "dest.good.test");
            receiver.putAll(SealpostProcess.labDnssec(lab.trustAnchors, "127.0.0.1:" + lab.startUnbound().getPort()));
            receiver.put("route.dest.good.test", "[127.0.0.1]:" + sink.port);
            byte[] message = ("From: alice@" + SIGNED + "\r\nTo: bob@dest.good.test\r\nSubject: dkim2-twice\r\n"
                    + "Message-ID: <twice@" + SIGNED + ">\r\n\r\nSent once, arriving twice.\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            String fields = new Dkim2Signer(List.of(Dkim2Key.of(new SigningKey(SIGNED, "ed", KeyType.ED25519,
                    ed.privateKey())))).sign(message, Dkim2SignOptions.forEnvelope(Dkim2Envelope.of("alice@" + SIGNED,
                            "bob@dest.good.test")));
            Path signed = dir.resolve("twice.eml");
            Files.writeString(signed, fields + new String(message, StandardCharsets.UTF_8));
            try (SealpostProcess b = new SealpostProcess(dir.resolve("receiver"), receiver).start()) {
                String first = swakRaw(mx, "alice@" + SIGNED, "bob@dest.good.test", signed);
                assertTrue(first.contains("250 "), first);
                b.awaitLine("checks: from=<alice@" + SIGNED + ">.*dkim2=pass \\(i=1 " + SIGNED + " pass\\)",
                        Duration.ofSeconds(30));
                String second = swakRaw(mx, "alice@" + SIGNED, "bob@dest.good.test", signed);
                assertTrue(second.contains("250 "), "a duplicate is reported, not refused: " + second);
                b.awaitLine("checks: from=<alice@" + SIGNED + ">.*dkim2=fail \\(i=1 " + SIGNED + " pass; FAIL: Duplicate "
                        + "message with no exploded flag\\) header.d=" + SIGNED + " header.i=1;", Duration.ofSeconds(30));

                List<String> results = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (results.size() < 2 && System.nanoTime() < deadline) {
                    results.clear();
                    for (String copy : sink.messages()) {
                        if (copy.contains("dkim2-twice")) {
                            results.add(dkim2Result(copy));
                        }
                    }
                    Thread.sleep(200);
                }
                assertEquals(List.of("dkim2=fail (i=1 " + SIGNED + " pass; FAIL: Duplicate message with no exploded flag)"
                        + " header.d=" + SIGNED + " header.i=1", "dkim2=pass (i=1 " + SIGNED + " pass) header.d=" + SIGNED),
                        results.stream().sorted().toList(), "both copies delivered, each with its own result");
            }
        }
    }

    /** The dkim2= resinfo of the Authentication-Results field B added, unfolded. */
    private static String dkim2Result(String message) {
        Matcher resinfo = Pattern.compile("(?m)^Authentication-Results:[^\\r\\n]*(?:\\r?\\n[ \\t][^\\r\\n]*)*")
                .matcher(message);
        assertTrue(resinfo.find(), "no Authentication-Results in " + message);
        // dkim2=RESULT (COMMENT, whose quoted-pairs may hold parentheses) PROPERTIES, up to the next ';'
        Matcher dkim2 = Pattern.compile("dkim2=\\w+ \\((?:[^()\\\\]|\\\\.)*\\)[^;]*")
                .matcher(resinfo.group().replaceAll("\\r?\\n[ \\t]+", " "));
        assertTrue(dkim2.find(), resinfo.group());
        return dkim2.group().strip();
    }

    /** The forward-paths of the message's DKIM2-Signature rt=, decoded. */
    private static List<String> rcptTo(String message) {
        String unfolded = message.replaceAll("\r?\n[ \t]+", " ");
        Matcher field = Pattern.compile("(?mi)^DKIM2-Signature:(.*)$").matcher(unfolded);
        assertTrue(field.find(), "no DKIM2-Signature in " + message.substring(0, Math.min(2000, message.length())));
        Matcher rt = Pattern.compile("(?:^|;)\\s*rt\\s*=([^;]*)").matcher(field.group(1));
        assertTrue(rt.find(), field.group(1));
        List<String> paths = new ArrayList<>();
        for (String value : rt.group(1).replaceAll("\\s", "").split(",")) {
            paths.add(new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
        }
        return paths;
    }

    /** The copy as smtp-sink kept it, without the fields B added (its Received and Authentication-Results). */
    private static String withoutTrace(String message) {
        String crlf = message.replaceAll("(?<!\r)\n", "\r\n");
        int end = crlf.indexOf("\r\n\r\n");
        String header = crlf.substring(0, end + 2);
        String body = crlf.substring(end + 2);
        StringBuilder kept = new StringBuilder();
        for (String field : header.split("\r\n(?![ \t])")) {
            String name = field.substring(0, Math.max(0, field.indexOf(':'))).strip();
            if (!name.equalsIgnoreCase("Received") && !name.equalsIgnoreCase("Authentication-Results")
                    && !name.equalsIgnoreCase("Return-Path") && !field.isEmpty()) {
                kept.append(field.endsWith("\r\n") ? field : field + "\r\n");
            }
        }
        return kept + body;
    }

    private static String swaks(int port, String from, List<String> to, String... more) throws Exception {
        Peers.require("swaks", "/usr/bin/swaks");
        List<String> command = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1:" + port, "--from", from,
                "--to", String.join(",", to), "--header", "From: " + from));
        command.addAll(List.of(more));
        return run(command);
    }

    private static String swakRaw(int port, String from, String to, Path message) throws Exception {
        Peers.require("swaks", "/usr/bin/swaks");
        return run(List.of("swaks", "--server", "127.0.0.2:" + port, "--from", from, "--to", to, "--data", "@" + message));
    }

    static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start(); // never a prompt
        String transcript = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        return transcript;
    }
}
