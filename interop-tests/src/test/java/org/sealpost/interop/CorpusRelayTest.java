package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.dnssec.lab.KnotLab;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.Peers;
import org.sealpost.interop.support.PostfixInstance;
import org.sealpost.interop.support.SealpostCli;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.ShortProcess;
import org.sealpost.interop.support.SmtpClient;
import org.sealpost.interop.support.Tls;

/**
 * test -> postfix -> sealpost A (submission, DKIM signs) -+-> STARTTLS -> sealpost B (mx, DKIM verifies) -> postfix -> maildir dest/
 *                                                         +-> postfix -> maildir direct/
 * <p>
 * A corpus of generated messages of the shapes real mail has (CorpusMessages), each sent once to a
 * recipient on each path, must arrive octet for octet as sent apart from the fields the hops add,
 * with its DKIM signature passing at Sealpost B and under dkimpy, and its DKIM2 chain (A signs each
 * transaction, dkim2_sign = yes) passing at Sealpost B, each copy's rt= naming only the recipient
 * of its own transaction. Both Sealposts run with a 96 MiB
 * heap while the largest message (just under A's message_size_limit, over 45 MiB) goes through.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorpusRelayTest {

    private static final String SENDER_DOMAIN = "corpus.good.test";
    private static final String SELECTOR = "corpus";
    /** A's message_size_limit: 46 MiB. */
    private static final int LIMIT = 46 * 1024 * 1024;
    private static final int SMALL = 110;
    private static final List<Integer> LARGE = List.of(1_100_000, 1_300_000, 1_500_000, 1_800_000, 2_000_000,
            2_200_000, 2_500_000, 3_000_000, 3_300_000, 3_700_000, 4_200_000, 5_000_000);

    @TempDir
    static Path dir;

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final List<CorpusMessages.Message> sent = new ArrayList<>();
    private final List<String> submissionFailures = new ArrayList<>();
    private SealpostProcess relayA;
    private SealpostProcess mxB;
    private PostfixInstance destination;
    private Path maildirs;
    private Path keyRecord;
    private int submissionPort;
    private Duration submitAndDeliver;

    private <T extends AutoCloseable> T running(T process) {
        running.push(process);
        return process;
    }

    @BeforeAll
    void relayTheCorpus() throws Exception {
        Peers.require("python3-dkim", "/usr/bin/python3");
        Instant start = Instant.now();
        Path keys = dir.resolve("dkim");
        Files.createDirectories(keys);
        ShortProcess.Result keygen = SealpostCli.run(dir, new byte[0], "dkim", "keygen", "--domain", SENDER_DOMAIN,
                "--selector", SELECTOR, "--out", keys.resolve("corpus.pem").toString());
        assertEquals(0, keygen.status(), keygen.describe());
        keyRecord = keys.resolve("corpus.zone");
        Files.writeString(keyRecord, keygen.out());
        // good.test as a public suffix under p=none: the DMARC tree walk of the mx ends inside the lab.
        KnotLab lab = running(KnotLab.start(dir.resolve("lab"), keygen.out() + "_dmarc IN TXT \"v=DMARC1; p=none; psd=y\"\n"));
        String unbound = "127.0.0.1:" + lab.startUnbound().getPort();
        Path tls = dir.resolve("tls");
        Files.createDirectories(tls);
        Tls.selfSigned(tls, "mx.dest.good.test");

        maildirs = dir.resolve("maildirs");
        Map<String, String> postfixSettings = new LinkedHashMap<>(PostfixInstance.maildirs(maildirs,
                Map.of(CorpusMessages.DEST, "dest", CorpusMessages.DIRECT, "direct"), 128L * 1024 * 1024));
        postfixSettings.put("smtpd_forbid_bare_newline", "yes");
        destination = running(new PostfixInstance(dir.resolve("postfix-dest"), "mail.dest.good.test", "127.0.0.3",
                postfixSettings).start());

        int mx = Loopback.freePort("127.0.0.2");
        Map<String, String> b = new LinkedHashMap<>();
        b.put("hostname", "mx.dest.good.test");
        b.put("queue_directory", dir.resolve("b/queue").toString());
        b.put("listeners", "mx");
        b.put("listener.mx.role", "mx");
        b.put("listener.mx.address", "127.0.0.2:" + mx);
        b.put("tls_cert_file", tls.resolve("cert.pem").toString());
        b.put("tls_key_file", tls.resolve("key.pem").toString());
        b.put("local_domains", CorpusMessages.DEST);
        b.put("route." + CorpusMessages.DEST, "[127.0.0.3]:" + destination.port);
        b.put("message_size_limit", Integer.toString(LIMIT + 1024 * 1024));
        b.put("dnssec", "validate");
        b.put("dnssec_trust_anchor_file", lab.trustAnchors.toString());
        b.put("dnssec_trust_anchor_replace_root", "yes");
        b.put("dns_resolvers", unbound);
        mxB = running(new SealpostProcess(dir.resolve("b"), b).withJvmOptions("-Xmx96m").start());

        submissionPort = Loopback.freePort("127.0.0.1");
        Map<String, String> a = new LinkedHashMap<>();
        a.put("hostname", "relay.corpus.good.test");
        a.put("queue_directory", dir.resolve("a/queue").toString());
        a.put("listeners", "submission");
        a.put("listener.submission.role", "submission");
        a.put("listener.submission.address", "127.0.0.1:" + submissionPort);
        a.put("message_size_limit", Integer.toString(LIMIT));
        a.put("dkim_key." + SENDER_DOMAIN, SELECTOR + ":" + keys.resolve("corpus.pem"));
        a.put("dkim2_sign", "yes");
        a.put("route." + CorpusMessages.DEST, "[127.0.0.2]:" + mx);
        a.put("route." + CorpusMessages.DIRECT, "[127.0.0.3]:" + destination.port);
        a.put("tls_policy." + CorpusMessages.DEST, "encrypt"); // the hop between the two Sealposts is never plaintext
        a.put("dnssec", "off");
        a.put("dns_resolvers", "127.0.0.1:" + lab.address.getPort());
        relayA = running(new SealpostProcess(dir.resolve("a"), a).withJvmOptions("-Xmx96m").start());

        PostfixInstance source = running(new PostfixInstance(dir.resolve("postfix-source"), "mail.corpus.good.test",
                "127.0.0.4", Map.of("relayhost", "[127.0.0.1]:" + submissionPort,
                        "message_size_limit", Long.toString(128L * 1024 * 1024))).start());

        CorpusMessages corpus = new CorpusMessages(20261127L, SENDER_DOMAIN);
        sent.addAll(corpus.build(SMALL, LARGE));
        // Just under A's limit once Postfix's Received field is added: the largest message.
        sent.add(corpus.ofSize("XL", LIMIT - 16 * 1024));
        try (SmtpClient client = new SmtpClient(source.host, source.port)) {
            for (CorpusMessages.Message message : sent) {
                String parameters = (message.eightBit() ? "BODY=8BITMIME" : "") + (message.smtputf8() ? " SMTPUTF8" : "");
                String reply = client.transact("sender@" + SENDER_DOMAIN, parameters.strip(), List.of(
                        message.localPart() + "@" + CorpusMessages.DEST, message.localPart() + "@" + CorpusMessages.DIRECT),
                        message.content());
                if (!reply.startsWith("250")) {
                    submissionFailures.add(message + ": Postfix answered " + reply);
                }
            }
        }
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (Instant.now().isBefore(deadline) && (PostfixInstance.maildir(maildirs, "dest").size() < sent.size()
                || PostfixInstance.maildir(maildirs, "direct").size() < sent.size())) {
            Thread.sleep(250);
        }
        submitAndDeliver = Duration.between(start, Instant.now());
        System.out.println("CorpusRelayTest: " + sent.size() + " messages, "
                + sent.stream().mapToLong(m -> m.content().length).sum() + " octets, set up, sent and delivered on both "
                + "paths in " + submitAndDeliver.toMillis() + " ms");
    }

    @AfterAll
    void stopEverything() throws Exception {
        while (!running.isEmpty()) {
            running.pop().close();
        }
    }

    @Test
    void corpus_isLargeAndVaried() {
        assertTrue(sent.size() >= 100, "corpus of " + sent.size());
        assertTrue(sent.stream().filter(m -> m.content().length > 1024 * 1024).count() >= 10, "ten over 1 MiB");
        assertTrue(sent.stream().anyMatch(m -> m.content().length > 45 * 1024 * 1024), "one over 45 MiB");
        assertTrue(sent.stream().anyMatch(m -> MessageParts.of(m.content()).body().length == 0), "an empty body");
        assertTrue(sent.stream().anyMatch(CorpusMessages.Message::smtputf8), "SMTPUTF8");
        assertEquals(List.of(), submissionFailures, "Postfix refused messages of the corpus");
    }

    @Test
    void corpus_throughTwoSealposts_arrivesAsSent_withDkimPassAtB() throws Exception {
        Map<String, byte[]> delivered = delivered("dest");
        List<String> problems = compare(delivered, CorpusMessages.DEST);
        String bLog = mxB.output();
        Pattern queueIdOfB = Pattern.compile("by mx\\.dest\\.good\\.test \\(Sealpost\\) with ESMTPS id ([A-Za-z0-9]+)");
        for (CorpusMessages.Message message : sent) {
            byte[] copy = delivered.get(messageId(message.content()));
            if (copy == null) {
                continue;
            }
            Matcher id = queueIdOfB.matcher(String.join("", MessageParts.of(copy).all("received")));
            if (!id.find()) {
                problems.add(message + ": no Received field of Sealpost B");
            } else if (bLog.lines().noneMatch(line -> line.contains(id.group(1) + ": checks: ")
                    && line.contains("; dkim=pass header.d=" + SENDER_DOMAIN + " header.s=" + SELECTOR))) {
                problems.add(message + ": Sealpost B logged no dkim=pass for " + id.group(1));
            } else if (bLog.lines().noneMatch(line -> line.contains(id.group(1) + ": checks: ")
                    && line.contains("; dkim2=pass (i=1 " + SENDER_DOMAIN + " pass) header.d=" + SENDER_DOMAIN + ";"))) {
                problems.add(message + ": Sealpost B logged no dkim2=pass for " + id.group(1) + ": "
                        + bLog.lines().filter(line -> line.contains(id.group(1) + ": checks: ")).findFirst().orElse(""));
            }
        }
        String aLog = relayA.output();
        for (String line : aLog.lines().filter(l -> l.contains("@" + CorpusMessages.DEST + ">") && l.contains("status=sent"))
                .toList()) {
            if (!line.contains("tls=TLSv1")) {
                problems.add("A delivered to B without TLS: " + line);
            }
        }
        assertNoProblems("two Sealposts", problems);
    }

    @Test
    void corpus_straightToPostfix_arrivesAsSent() throws Exception {
        assertNoProblems("Sealpost straight to Postfix", compare(delivered("direct"), CorpusMessages.DIRECT));
    }

    @Test
    void dkimpy_verifiesEveryDeliveredCopy() throws Exception {
        Path script = dir.resolve("dkimpy_verify.py");
        try (var in = CorpusRelayTest.class.getResourceAsStream("/corpus/dkimpy_verify.py")) {
            Files.write(script, in.readAllBytes());
        }
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), keyRecord.toString()));
        PostfixInstance.maildir(maildirs, "dest").forEach(p -> command.add(p.toString()));
        PostfixInstance.maildir(maildirs, "direct").forEach(p -> command.add(p.toString()));
        ShortProcess.Result result = ShortProcess.run(command, Map.of(), new byte[0], dir, Duration.ofMinutes(5));
        assertEquals(0, result.status(), result.describe());
        List<String> failed = result.out().lines().filter(l -> !l.startsWith("pass ")).toList();
        assertEquals(List.of(), failed, "dkimpy failed signatures");
        assertEquals(2 * sent.size(), result.out().lines().count(), "copies verified:\n" + result.out());
    }

    @Test
    void largestMessage_throughTwoHopsWithA96MiBHeap_arrivesIntact() throws Exception {
        CorpusMessages.Message largest = sent.get(sent.size() - 1);
        assertTrue(largest.content().length > 45 * 1024 * 1024 && largest.content().length < LIMIT, largest.toString());
        byte[] copy = delivered("dest").get(messageId(largest.content()));
        assertTrue(copy != null, largest + " was not delivered through both Sealposts (96 MiB heap each):\nA: "
                + tail(relayA.output()) + "\nB: " + tail(mxB.output()));
        assertEquals(MessageParts.of(largest.content()).bodySha256(), MessageParts.of(copy).bodySha256(),
                "SHA-256 of the body of " + largest);
        assertTrue(!relayA.output().contains("OutOfMemoryError") && !mxB.output().contains("OutOfMemoryError"),
                "a Sealpost ran out of heap");
    }

    @Test
    void sizeLimit_oneOctetOver_isRefusedWith552AtTheSubmission() throws Exception {
        byte[] over = overLimit();
        try (SmtpClient client = new SmtpClient("127.0.0.1", submissionPort)) {
            String announced = client.transact("sender@" + SENDER_DOMAIN, "SIZE=" + (LIMIT + 1),
                    List.of("x@" + CorpusMessages.DIRECT), over);
            assertTrue(announced.startsWith("552 5.3.4"), "MAIL FROM with SIZE over the limit: " + announced);
            String streamed = client.transact("sender@" + SENDER_DOMAIN, "", List.of("x@" + CorpusMessages.DIRECT), over);
            assertTrue(streamed.startsWith("552 5.3.4"), "content over the limit without SIZE: " + streamed);
        }
    }

    private static byte[] overLimit() {
        StringBuilder header = new StringBuilder("From: sender@" + SENDER_DOMAIN + "\r\nSubject: over the limit\r\n\r\n");
        byte[] content = new byte[LIMIT + 1];
        byte[] start = header.toString().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(start, 0, content, 0, start.length);
        for (int i = start.length; i < content.length; i++) {
            content[i] = (byte) ((i - start.length) % 78 == 76 ? '\r' : (i - start.length) % 78 == 77 ? '\n' : 'x');
        }
        return content;
    }

    /** The copies in one maildir, by Message-ID, with the CRLF line ends they had on the wire. */
    private Map<String, byte[]> delivered(String folder) throws Exception {
        Map<String, byte[]> copies = new LinkedHashMap<>();
        for (Path file : PostfixInstance.maildir(maildirs, folder)) {
            byte[] copy = MessageParts.crlf(Files.readAllBytes(file));
            copies.put(messageId(copy), copy);
        }
        return copies;
    }

    private static String messageId(byte[] message) {
        return MessageParts.of(message).value("Message-ID");
    }

    /** What differs between each sent message and its copy, beyond the fields the hops add. */
    /** {@code recipientDomain}: the domain of the path's recipient, the only one its copy's DKIM2 rt= may name. */
    private List<String> compare(Map<String, byte[]> delivered, String recipientDomain) {
        List<String> problems = new ArrayList<>();
        for (CorpusMessages.Message message : sent) {
            byte[] copy = delivered.get(messageId(message.content()));
            if (copy == null) {
                problems.add(message + ": not delivered");
                continue;
            }
            MessageParts original = MessageParts.of(message.content());
            MessageParts arrived = MessageParts.of(copy);
            if (!original.fields().equals(arrived.withoutAdded())) {
                problems.add(message + ": header fields differ:\n  sent:     " + original.fields()
                        + "\n  arrived:  " + arrived.withoutAdded());
            }
            if (!original.bodySha256().equals(arrived.bodySha256())) {
                problems.add(message + ": body differs (" + original.body().length + " octets sent, "
                        + arrived.body().length + " arrived)");
            }
            long signatures = arrived.all("dkim-signature").stream().filter(f -> f.contains("d=" + SENDER_DOMAIN)).count();
            if (signatures != 1) {
                problems.add(message + ": " + signatures + " DKIM-Signature fields of d=" + SENDER_DOMAIN);
            }
            List<String> chain = arrived.all("dkim2-signature");
            List<String> rcptTo = chain.size() == 1 ? rcptTo(chain.get(0)) : List.of();
            if (chain.size() != 1 || arrived.all("message-instance").size() != 1 || rcptTo.size() != 1) {
                problems.add(message + ": not one DKIM2-Signature and one Message-Instance naming its own recipient: "
                        + chain + " rt=" + rcptTo);
            } else if (!rcptTo.get(0).equals("<" + message.localPart() + "@" + recipientDomain + ">")) {
                problems.add(message + ": DKIM2 rt= " + rcptTo + " names another transaction's recipient");
            }
        }
        return problems;
    }

    /** The forward-paths of a DKIM2-Signature's rt= (base64 each, -06 8.6). */
    private static List<String> rcptTo(String field) {
        Matcher rt = Pattern.compile("[:;]\\s*rt\\s*=([^;]*)").matcher(field);
        if (!rt.find()) {
            return List.of();
        }
        List<String> paths = new ArrayList<>();
        for (String value : rt.group(1).replaceAll("\\s", "").split(",")) {
            paths.add(new String(java.util.Base64.getDecoder().decode(value), java.nio.charset.StandardCharsets.UTF_8));
        }
        return paths;
    }

    private void assertNoProblems(String path, List<String> problems) throws Exception {
        if (!problems.isEmpty()) {
            String shown = String.join("\n", problems.subList(0, Math.min(15, problems.size())));
            throw new AssertionError(problems.size() + " problems on the path " + path + " (of " + sent.size()
                    + " messages):\n" + shown + "\n--- Sealpost A:\n" + tail(relayA.output()) + "\n--- Sealpost B:\n"
                    + tail(mxB.output()) + "\n--- Postfix (destination):\n" + tail(destination.log()));
        }
    }

    private static String tail(String log) {
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    }
}
