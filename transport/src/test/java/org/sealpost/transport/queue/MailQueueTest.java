package org.sealpost.transport.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailQueueTest {

    @TempDir
    Path dir;

    private final ScriptedDeliverer deliverer = new ScriptedDeliverer();
    private final List<MailQueue> queues = new ArrayList<>();

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        log.start();
        ((Logger) org.slf4j.LoggerFactory.getLogger(MailQueue.class)).addAppender(log);
    }

    @AfterEach
    void close() {
        queues.forEach(MailQueue::close);
        ((Logger) org.slf4j.LoggerFactory.getLogger(MailQueue.class)).detachAppender(log);
    }

    /** The log lines of the queue that mention {@code text}. */
    private List<String> logged(String text) {
        synchronized (log) {
            return log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(text)).toList();
        }
    }

    private MailQueue queue(Duration lifetime) throws Exception {
        MailQueue queue = new MailQueue(new QueueSettings(dir, "relay.example.test", Duration.ofMillis(50),
                Duration.ofMillis(200), lifetime, lifetime, 4), deliverer);
        queue.start();
        queues.add(queue);
        return queue;
    }

    private static Envelope envelope(String sender, Recipient... recipients) {
        return new Envelope(sender, List.of(recipients), BodyType.SEVEN_BIT, false, "", "",
                new Envelope.ClientInfo("127.0.0.1", "client.example", "ESMTP", "", "", "submission"), Instant.now());
    }

    private static String put(MailQueue queue, Envelope envelope, String content) throws Exception {
        Incoming incoming = queue.receive(envelope);
        incoming.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
        return incoming.commit().get();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    private long files(String folder) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve(folder))) {
            return files.count();
        }
    }

    @Test
    void fileAppears_onlyWhenCommitted_andGoesOnceDelivered() throws Exception {
        deliverer.holdMillis = 200;
        MailQueue queue = queue(Duration.ofDays(5));
        Incoming incoming = queue.receive(envelope("a@example.org", Recipient.of("b@example.net")));
        incoming.write(ByteBuffer.wrap("Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, files("active"));
        String id = incoming.commit().get();
        assertTrue(Files.exists(dir.resolve("active").resolve(id)));
        await(() -> deliverer.calls.size() == 1, "no delivery attempt");
        assertEquals("Subject: x\r\n\r\nbody\r\n", deliverer.calls.get(0).content());
        await(() -> queue.size() == 0, "the message stayed queued");
        assertEquals(0, files("active"));
    }

    @Test
    void additions_areStoredWithTheMessage_deliveredFirst_andSurviveARestart() throws Exception {
        deliverer.script = r -> DeliveryStatus.DEFERRED;
        MailQueue first = queue(Duration.ofDays(5));
        Incoming incoming = first.receive(envelope("a@example.org", Recipient.of("b@example.net")));
        incoming.write(ByteBuffer.wrap("Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)));
        String signature = "DKIM-Signature: v=1; a=ed25519-sha256; d=example.org; s=s1;\r\n\tb=abc=\r\n";
        String id = incoming.commit(new Additions(List.of(signature), List.of("dkim=pass header.d=example.org (ok)")))
                .get();
        await(() -> deliverer.calls.size() >= 1, "no delivery attempt");
        assertEquals(signature + "Subject: x\r\n\r\nbody\r\n", deliverer.calls.get(0).content());
        first.close();
        queues.remove(first);
        deliverer.calls.clear();
        deliverer.script = r -> DeliveryStatus.DELIVERED;

        MailQueue second = queue(Duration.ofDays(5));
        await(() -> deliverer.calls.size() >= 1, "the recovered message was not tried");
        assertEquals(signature + "Subject: x\r\n\r\nbody\r\n", deliverer.calls.get(0).content());
        assertEquals(List.of("dkim=pass header.d=example.org (ok)"), deliverer.calls.get(0).results());
        assertEquals(0, files("corrupt"), "the file with additions was set aside");
        assertTrue(id.length() > 0);
    }

    @Test
    void damagedAdditions_setTheFileAside() throws Exception {
        deliverer.script = r -> DeliveryStatus.DEFERRED;
        MailQueue first = queue(Duration.ofDays(5));
        Incoming incoming = first.receive(envelope("a@example.org", Recipient.of("b@example.net")));
        incoming.write(ByteBuffer.wrap("x\r\n".getBytes(StandardCharsets.US_ASCII)));
        String id = incoming.commit(new Additions(List.of("DKIM-Signature: b=abc\r\n"), List.of())).get();
        first.close();
        queues.remove(first);
        Path file = dir.resolve("active").resolve(id);
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        Files.writeString(file, text.replace("b=abc", "b=abd"), StandardCharsets.ISO_8859_1);
        queue(Duration.ofDays(5));
        await(() -> {
            try {
                return files("corrupt") == 1;
            } catch (Exception e) {
                return false;
            }
        }, "the damaged file was not set aside");
    }

    @Test
    void abort_leavesNothing() throws Exception {
        MailQueue queue = queue(Duration.ofDays(5));
        Incoming incoming = queue.receive(envelope("a@example.org", Recipient.of("b@example.net")));
        incoming.write(ByteBuffer.wrap(new byte[100]));
        incoming.abort();
        assertEquals(0, files("incoming"));
        assertEquals(0, files("active"));
    }

    @Test
    void deferredRecipient_isRetriedWithGrowingDelays_deliveredOneIsNot() throws Exception {
        deliverer.script = r -> r.address().startsWith("later") ? DeliveryStatus.DEFERRED : DeliveryStatus.DELIVERED;
        MailQueue queue = queue(Duration.ofDays(5));
        put(queue, envelope("a@example.org", Recipient.of("now@one.example"), Recipient.of("later@two.example")), "x\r\n");
        await(() -> deliverer.callsFor("later@two.example") >= 4, "no retries");
        assertEquals(1, deliverer.callsFor("now@one.example"));
        List<Long> times = deliverer.calls.stream().filter(c -> c.domain().equals("two.example")).map(c -> c.at()).toList();
        long first = times.get(1) - times.get(0);
        long third = times.get(3) - times.get(2);
        assertTrue(third > first, "backoff did not grow: " + first / 1_000_000 + " ms then " + third / 1_000_000 + " ms");
        assertEquals(1, queue.size());
    }

    @Test
    void restart_recoversPendingMessages_andSkipsDeliveredRecipients() throws Exception {
        deliverer.script = r -> r.address().startsWith("later") ? DeliveryStatus.DEFERRED : DeliveryStatus.DELIVERED;
        MailQueue first = queue(Duration.ofDays(5));
        put(first, envelope("a@example.org", Recipient.of("now@one.example"), Recipient.of("later@two.example")), "x\r\n");
        await(() -> deliverer.callsFor("later@two.example") >= 2, "no retry before the restart");
        first.close();
        queues.remove(first);
        deliverer.calls.clear();
        deliverer.script = r -> DeliveryStatus.DELIVERED;

        MailQueue second = queue(Duration.ofDays(5));
        await(() -> second.size() == 0, "the recovered message was not delivered");
        assertEquals(1, deliverer.callsFor("later@two.example"));
        assertEquals(0, deliverer.callsFor("now@one.example"), "a delivered recipient was delivered again");
    }

    @Test
    void unreadableFiles_areSetAside_andTheRestStillLoads() throws Exception {
        deliverer.script = r -> DeliveryStatus.DEFERRED;
        MailQueue first = queue(Duration.ofDays(5));
        String good = put(first, envelope("a@example.org", Recipient.of("b@example.net")), "good\r\n");
        String truncated = put(first, envelope("a@example.org", Recipient.of("b@example.net")), "truncated\r\n");
        String flipped = put(first, envelope("a@example.org", Recipient.of("b@example.net")), "flipped\r\n");
        first.close();
        queues.remove(first);
        Path active = dir.resolve("active");
        byte[] bytes = Files.readAllBytes(active.resolve(truncated));
        Files.write(active.resolve(truncated), java.util.Arrays.copyOf(bytes, bytes.length - 10));
        bytes = Files.readAllBytes(active.resolve(flipped));
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("flipped");
        bytes[at] ^= 0x20;
        Files.write(active.resolve(flipped), bytes);
        Files.writeString(active.resolve("00000000GARBAGE0"), "not a queue file at all");
        Files.writeString(dir.resolve("incoming").resolve("00000000UNFINISH"), "half a message");

        deliverer.calls.clear();
        deliverer.script = r -> DeliveryStatus.DELIVERED;
        MailQueue second = queue(Duration.ofDays(5));
        await(() -> deliverer.calls.size() == 1, "the good message was not delivered");
        assertEquals(good, deliverer.calls.get(0).queueId());
        Set<String> corrupt = new HashSet<>();
        try (Stream<Path> files = Files.list(dir.resolve("corrupt"))) {
            files.forEach(f -> corrupt.add(f.getFileName().toString()));
        }
        assertEquals(Set.of(truncated, flipped, "00000000GARBAGE0"), corrupt);
        assertEquals(0, files("incoming"));
    }

    @Test
    void expiredMessage_bouncesWithAReportThatParsesAsRfc3464() throws Exception {
        deliverer.script = r -> r.address().startsWith("report") ? DeliveryStatus.DELIVERED
                : r.address().startsWith("gone") ? DeliveryStatus.BOUNCED : DeliveryStatus.DEFERRED;
        MailQueue queue = queue(Duration.ZERO);
        put(queue, new Envelope("report@sender.example", List.of(
                new Recipient("gone@one.example", Set.of(), "rfc822;gone@one.example"),
                Recipient.of("stuck@two.example")), BodyType.SEVEN_BIT, false, "HDRS", "ENV-42",
                new Envelope.ClientInfo("127.0.0.1", "c", "ESMTP", "", "", "submission"), Instant.now()),
                "Subject: original subject\r\nFrom: report@sender.example\r\n\r\nsecret body\r\n");
        await(() -> deliverer.callsFor("report@sender.example") == 1, "no report was queued and sent");
        String report = deliverer.calls.stream().filter(c -> c.recipients().contains("report@sender.example"))
                .findFirst().orElseThrow().content();

        MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(report.getBytes(StandardCharsets.UTF_8)));
        assertTrue(parsed.getContentType().startsWith("multipart/report"), parsed.getContentType());
        assertTrue(parsed.getContentType().contains("report-type=delivery-status"), parsed.getContentType());
        assertEquals("auto-replied", parsed.getHeader("Auto-Submitted")[0]);
        MimeMultipart parts = (MimeMultipart) parsed.getContent();
        assertEquals(3, parts.getCount());
        String status;
        try (InputStream in = parts.getBodyPart(1).getInputStream()) {
            status = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(parts.getBodyPart(1).isMimeType("message/delivery-status"));
        assertTrue(status.contains("Reporting-MTA: dns; relay.example.test"), status);
        assertTrue(status.contains("Original-Envelope-Id: ENV-42"), status);
        assertTrue(status.contains("Original-Recipient: rfc822;gone@one.example"), status);
        assertTrue(status.contains("Final-Recipient: rfc822; gone@one.example\r\nAction: failed\r\nStatus: 5.1.1"), status);
        assertTrue(status.contains("Diagnostic-Code: smtp; 550 5.1.1 <gone@one.example>: no such user"), status);
        assertTrue(status.contains("Final-Recipient: rfc822; stuck@two.example\r\nAction: failed\r\nStatus: 4.4.1"), status);
        assertTrue(parts.getBodyPart(2).isMimeType("text/rfc822-headers"));
        String original;
        try (InputStream in = parts.getBodyPart(2).getInputStream()) {
            original = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(original.contains("Subject: original subject"), original);
        assertFalse(original.contains("secret body"), "RET=HDRS returned the body");
        await(() -> queue.size() == 0, "the bounced message or its report stayed queued");
    }

    @Test
    void noReport_forTheNullSender_orNotifyNever() throws Exception {
        deliverer.script = r -> DeliveryStatus.BOUNCED;
        MailQueue queue = queue(Duration.ofDays(5));
        put(queue, envelope("", Recipient.of("x@one.example")), "a bounce\r\n");
        put(queue, envelope("a@sender.example", new Recipient("y@one.example", Set.of(Notify.NEVER), "")), "quiet\r\n");
        await(() -> queue.size() == 0, "messages stayed queued");
        Thread.sleep(200);
        assertEquals(2, deliverer.calls.size(), "a report was sent: " + deliverer.calls);
    }

    @Test
    void noReport_whenTheDkim2ChainFailedOnArrival_butOneWhenItPassed() throws Exception {
        deliverer.script = r -> r.address().endsWith("@one.example") ? DeliveryStatus.BOUNCED : DeliveryStatus.DELIVERED;
        MailQueue queue = queue(Duration.ofDays(5));
        for (String result : List.of("dkim2=fail (i=1 example.org fail; FAIL: Message Instance m=1 body hash sha256 "
                + "mismatch) header.d=example.org header.i=1", "dkim2=temperror (i=1 example.org temperror)",
                "dkim2=pass (i=1 example.org pass) header.d=example.org", "dkim2=none")) {
            String sender = result.substring(6, result.indexOf(' ') < 0 ? result.length() : result.indexOf(' '))
                    + "@sender.example";
            Incoming incoming = queue.receive(envelope(sender, Recipient.of("x@one.example")));
            incoming.write(ByteBuffer.wrap("Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)));
            incoming.commit(new Additions(List.of(), List.of("spf=pass smtp.mailfrom=sender.example", result))).get();
        }
        await(() -> queue.size() == 0 && deliverer.calls.size() >= 6, "messages stayed queued: " + deliverer.calls);
        Thread.sleep(200);
        // -06 10.1: a chain that did not pass on arrival gets no report; one that passed (or none at all) does.
        assertEquals(List.of(List.of("none@sender.example"), List.of("pass@sender.example")), deliverer.calls.stream()
                .filter(c -> c.content().contains("Undelivered Mail")).map(ScriptedDeliverer.Call::recipients).sorted(
                        java.util.Comparator.comparing(Object::toString)).toList());
    }

    @Test
    void concurrencyLimit_isNeverExceeded() throws Exception {
        deliverer.holdMillis = 30;
        MailQueue queue = queue(Duration.ofDays(5));
        for (int i = 0; i < 20; i++) {
            put(queue, envelope("a@example.org", Recipient.of("b" + i + "@d" + i + ".example")), "m\r\n");
        }
        await(() -> queue.size() == 0, "not all delivered");
        assertEquals(20, deliverer.calls.size());
        assertTrue(deliverer.maxInFlight.get() <= 4, "in flight at once: " + deliverer.maxInFlight.get());
    }

    @Test
    void concurrentCommits_allSucceed_withUniqueIds() throws Exception {
        deliverer.script = r -> DeliveryStatus.DEFERRED;
        MailQueue queue = queue(Duration.ofDays(5));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<String>> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Callable<String> task = () -> put(queue, envelope("a@example.org", Recipient.of("b@example.net")), "c\r\n");
            ids.add(pool.submit(task));
        }
        Set<String> unique = new HashSet<>();
        for (Future<String> id : ids) {
            unique.add(id.get());
        }
        pool.shutdown();
        assertEquals(200, unique.size());
        assertEquals(200, files("active"));
    }

    @Test
    void unusualAddressesAndDsnParameters_surviveTheFile() throws Exception {
        deliverer.script = r -> DeliveryStatus.DEFERRED;
        MailQueue first = queue(Duration.ofDays(5));
        Recipient odd = new Recipient("\"john smith\"@exämple.test", Set.of(Notify.SUCCESS, Notify.DELAY), "utf-8;x%y -");
        put(first, envelope("-", odd), "x\r\n");
        first.close();
        queues.remove(first);
        deliverer.calls.clear();
        ScriptedDeliverer seen = deliverer;
        MailQueue second = queue(Duration.ofDays(5));
        await(() -> !seen.calls.isEmpty(), "not recovered");
        String path = Files.list(dir.resolve("active")).findFirst().orElseThrow().toString();
        QueueFile.Parsed parsed = QueueFile.read(Path.of(path));
        assertEquals("-", parsed.envelope().sender());
        assertEquals(odd, parsed.envelope().recipients().get(0));
        assertNotNull(second);
    }

    @Test
    void queueFileRemovedWhileQueued_isDroppedAtItsNextAttempt_neverRetriedNorBounced() throws Exception {
        deliverer.script = r -> DeliveryStatus.DEFERRED;
        MailQueue queue = queue(Duration.ofDays(5));
        String id = put(queue, envelope("a@sender.example", Recipient.of("b@example.net")), "x\r\n");
        await(() -> deliverer.calls.size() >= 1, "no first attempt");
        Files.delete(dir.resolve("active").resolve(id));

        await(() -> queue.size() == 0, "the message whose file was removed stayed scheduled");
        int attempts = deliverer.calls.size();
        Thread.sleep(400); // several backoff periods (50 to 200 ms): a ghost would be tried again
        assertEquals(attempts, deliverer.calls.size(), "the removed message was tried again");
        assertEquals(0, deliverer.callsFor("a@sender.example"), "a report was sent about a removed message");
        assertEquals(List.of(id + ": removed (queue file " + dir.resolve("active").resolve(id) + " no longer exists)"),
                logged(id + ": removed"));
        assertEquals(List.of(), log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).toList());
        assertEquals(0, files("corrupt"));
    }

    @Test
    void queueFileDamagedWhileQueued_isSetAsideAtItsNextAttempt_asAtStart() throws Exception {
        deliverer.script = r -> DeliveryStatus.DEFERRED;
        MailQueue queue = queue(Duration.ofDays(5));
        String id = put(queue, envelope("a@sender.example", Recipient.of("b@example.net")), "some content\r\n");
        await(() -> deliverer.calls.size() >= 1, "no first attempt");
        Path file = dir.resolve("active").resolve(id);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 10));

        await(() -> queue.size() == 0, "the damaged message stayed scheduled");
        int attempts = deliverer.calls.size();
        Thread.sleep(400);
        assertEquals(attempts, deliverer.calls.size(), "the damaged message was tried again");
        assertEquals(0, deliverer.callsFor("a@sender.example"), "a report was sent about a damaged message");
        assertTrue(Files.exists(dir.resolve("corrupt").resolve(id)), "the damaged file was not set aside in corrupt/");
        assertEquals(0, files("active"));
        List<String> warnings = logged("queue file " + id + " is unreadable");
        assertEquals(1, warnings.size(), log.list.toString());
        assertTrue(warnings.get(0).contains("no trailer: the file is truncated"), warnings.get(0));
    }

    @Test
    void unknownNotifyKeyword_setsTheFileAside_insteadOfStoppingTheStart() throws Exception {
        deliverer.script = r -> DeliveryStatus.DEFERRED;
        MailQueue first = queue(Duration.ofDays(5));
        String id = put(first, envelope("a@example.org", new Recipient("b@example.net", Set.of(Notify.FAILURE), "")),
                "x\r\n");
        first.close();
        queues.remove(first);
        Path file = dir.resolve("active").resolve(id);
        Files.writeString(file, Files.readString(file, StandardCharsets.ISO_8859_1).replace(" FAILURE ", " SOMETIMES "),
                StandardCharsets.ISO_8859_1);

        MailQueue second = queue(Duration.ofDays(5));
        assertTrue(Files.exists(dir.resolve("corrupt").resolve(id)), "the damaged file was not set aside");
        assertEquals(0, second.size());
    }

    @Test
    void contentCutShortWhileQueued_failsTheReading_insteadOfSendingAShortenedMessage() throws Exception {
        deliverer.script = r -> DeliveryStatus.DEFERRED;
        MailQueue queue = queue(Duration.ofDays(5));
        String id = put(queue, envelope("a@example.org", Recipient.of("b@example.net")), "y".repeat(1000) + "\r\n");
        queue.close(); // no retry that would set the file aside meanwhile
        queues.remove(queue);
        Path file = dir.resolve("active").resolve(id);
        StoredMessage stored = StoredMessage.of(file, QueueFile.read(file));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 500));
        try (InputStream in = stored.openContent()) {
            org.junit.jupiter.api.Assertions.assertThrows(CorruptQueueFileException.class, in::readAllBytes);
        }
    }

    @Test
    void queueFoldersAndFiles_areOwnerOnly() throws Exception {
        deliverer.script = r -> DeliveryStatus.DEFERRED;
        MailQueue queue = queue(Duration.ofDays(5));
        Incoming incoming = queue.receive(envelope("a@example.org", Recipient.of("b@example.net")));
        incoming.write(ByteBuffer.wrap("x\r\n".getBytes(StandardCharsets.US_ASCII)));
        try (Stream<Path> receiving = Files.list(dir.resolve("incoming"))) {
            assertEquals("rw-------", mode(receiving.findFirst().orElseThrow()), "a message being received");
        }
        String id = incoming.commit().get();
        for (String folder : List.of("incoming", "active", "corrupt")) {
            assertEquals("rwx------", mode(dir.resolve(folder)), folder);
        }
        assertEquals("rw-------", mode(dir.resolve("active").resolve(id)), "a queued message");
    }

    private static String mode(Path path) throws Exception {
        java.util.Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        return PosixFilePermissions.toString(permissions);
    }
}
