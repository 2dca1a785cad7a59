package org.sealpost.transport.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue commands on a running queue (MailQueue) and on a stopped spool (QueueControl without a relay). */
class QueueCommandsTest {

    @TempDir
    Path dir;

    private final List<MailQueue> queues = new ArrayList<>();

    /** A deliverer whose attempts end when the test says: the attempt "in progress". */
    private static final class GatedDeliverer implements Deliverer {
        final List<CompletableFuture<List<RecipientResult>>> attempts = new CopyOnWriteArrayList<>();
        final List<List<Recipient>> recipients = new CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger forgotten = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void forgetUnavailable() {
            forgotten.incrementAndGet();
        }

        @Override
        public CompletableFuture<List<RecipientResult>> deliver(QueuedMessage message, String domain, List<Recipient> rcpts) {
            CompletableFuture<List<RecipientResult>> attempt = new CompletableFuture<>();
            recipients.add(rcpts);
            attempts.add(attempt);
            return attempt;
        }

        void end(int attempt, DeliveryStatus status) {
            attempts.get(attempt).complete(recipients.get(attempt).stream().map(r -> new RecipientResult(r, status,
                    status == DeliveryStatus.DELIVERED ? "2.0.0" : "4.3.0",
                    status == DeliveryStatus.DELIVERED ? "250 2.0.0 Ok" : "451 4.3.0 try again later", "mx.example.net",
                    true)).toList());
        }
    }

    @AfterEach
    void close() {
        queues.forEach(MailQueue::close);
    }

    private QueueSettings settings() {
        return new QueueSettings(dir, "relay.example.test", Duration.ofHours(1), Duration.ofHours(2), Duration.ofDays(5),
                Duration.ofDays(2), 4);
    }

    private MailQueue queue(Deliverer deliverer) throws Exception {
        MailQueue queue = new MailQueue(settings(), deliverer);
        queue.start();
        queues.add(queue);
        return queue;
    }

    private static String put(MailQueue queue, String sender, String... recipients) throws Exception {
        return put(queue, false, sender, recipients);
    }

    private static String put(MailQueue queue, boolean requireTls, String sender, String... recipients) throws Exception {
        Incoming incoming = queue.receive(new Envelope(sender, Stream.of(recipients).map(Recipient::of).toList(),
                BodyType.SEVEN_BIT, false, "", "", new Envelope.ClientInfo("127.0.0.1", "client.example", "ESMTP", "",
                        "", "submission"), Instant.now(), requireTls));
        incoming.write(ByteBuffer.wrap("Subject: queued\r\nFrom: a@example.org\r\n\r\nbody\r\n"
                .getBytes(StandardCharsets.US_ASCII)));
        return incoming.commit().get();
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(Condition condition, String what) throws Exception {
        for (int i = 0; i < 500 && !condition.holds(); i++) {
            Thread.sleep(10);
        }
        assertTrue(condition.holds(), what);
    }

    private static String text(QueueReply reply) {
        return String.join("\n", reply.lines()) + "\n" + reply.message();
    }

    /** A message deferred once by a running queue, which is then stopped: the spool the stopped tests work on. */
    private String deferredThenStopped(String sender, String... recipients) throws Exception {
        GatedDeliverer deliverer = new GatedDeliverer();
        MailQueue queue = queue(deliverer);
        String id = put(queue, sender, recipients);
        long domains = Stream.of(recipients).map(r -> Recipient.of(r).domain()).distinct().count();
        await(() -> deliverer.attempts.size() == domains, "no attempt");
        for (int i = 0; i < domains; i++) {
            deliverer.end(i, DeliveryStatus.DEFERRED);
        }
        await(() -> QueueFile.read(dir.resolve("active").resolve(id)).notes().attempts == 1, "attempt not recorded");
        queue.close();
        queues.remove(queue);
        return id;
    }

    private QueueFile.Parsed file(String id) throws Exception {
        return QueueFile.read(dir.resolve("active").resolve(id));
    }

    @Test
    void reasonAndNextAttempt_areKeptInTheFile_andListedAfterARestart() throws Exception {
        String id = deferredThenStopped("a@example.org", "b@example.net");
        QueueFile.Parsed parsed = file(id);
        assertEquals("451 4.3.0 try again later", parsed.notes().reasons[0]);
        assertTrue(parsed.notes().nextAttempt > System.currentTimeMillis() + 30 * 60_000L, "next attempt within backoff");

        GatedDeliverer deliverer = new GatedDeliverer();
        MailQueue queue = queue(deliverer);
        QueueReply json = queue.control(QueueRequest.list(false, false, true));
        String line = json.lines().get(0);
        assertTrue(line.startsWith("[{\"id\":\"" + id + "\""), line);
        assertTrue(line.contains("\"state\":\"deferred\",\"last_reason\":\"451 4.3.0 try again later\",\"next_attempt\":\""),
                line);
        assertEquals(0, deliverer.attempts.size(), "a restart attempts before the next attempt's time");
        String text = text(queue.control(QueueRequest.list(true, false, false)));
        assertTrue(text.contains(id) && text.contains("b@example.net  deferred  (451 4.3.0 try again later)  next attempt ")
                && text.contains("-- 1 KiB in 1 message."), text);
    }

    @Test
    void requireTlsMessage_isMarkedInListJsonAndShow() throws Exception {
        MailQueue queue = queue(new GatedDeliverer());
        String with = put(queue, true, "a@example.org", "b@example.net");
        String without = put(queue, false, "c@example.org", "d@example.net");
        String text = text(queue.control(QueueRequest.list(false, false, false)));
        assertTrue(text.contains("a@example.org  (REQUIRETLS)"), text);
        assertFalse(text.contains("c@example.org  (REQUIRETLS)"), text);
        String json = queue.control(QueueRequest.list(false, false, true)).lines().get(0);
        assertTrue(json.contains("\"id\":\"" + with + "\"") && json.contains("\"requiretls\":true")
                && json.contains("\"requiretls\":false"), json);
        assertTrue(text(queue.control(QueueRequest.of(QueueRequest.Verb.SHOW, List.of(with)))).contains(", requiretls: yes"));
        assertTrue(text(queue.control(QueueRequest.of(QueueRequest.Verb.SHOW, List.of(without)))).contains(", requiretls: no"));
    }

    @Test
    void hold_duringAnAttempt_takesEffectWhenItEnds_andFlushDoesNotAttemptIt_untilReleased() throws Exception {
        GatedDeliverer deliverer = new GatedDeliverer();
        MailQueue queue = queue(deliverer);
        String id = put(queue, "a@example.org", "b@example.net");
        await(() -> deliverer.attempts.size() == 1, "no attempt");

        QueueReply held = queue.control(QueueRequest.of(QueueRequest.Verb.HOLD, List.of(id)));
        assertEquals(List.of(id + ": held; the attempt in progress finishes first"), held.lines());
        assertTrue(text(queue.control(QueueRequest.list(false, false, false))).contains(id + "*"));
        deliverer.end(0, DeliveryStatus.DEFERRED);
        await(() -> file(id).notes().held, "the hold is not in the file");

        assertEquals(List.of("0 messages attempted now"), queue.control(QueueRequest.of(QueueRequest.Verb.FLUSH, List.of()))
                .lines());
        assertEquals(List.of(id + ": on hold; release it to attempt it"),
                queue.control(QueueRequest.of(QueueRequest.Verb.FLUSH, List.of(id))).lines());
        assertTrue(text(queue.control(QueueRequest.list(false, true, false))).contains(id + "!"));
        Thread.sleep(100);
        assertEquals(1, deliverer.attempts.size(), "a held message was attempted");

        assertEquals(List.of(id + ": released; attempted now"),
                queue.control(QueueRequest.of(QueueRequest.Verb.RELEASE, List.of(id))).lines());
        await(() -> deliverer.attempts.size() == 2, "a released message is not attempted");
        deliverer.end(1, DeliveryStatus.DELIVERED);
        await(() -> queue.size() == 0, "delivered message stayed");
    }

    @Test
    void hold_ofAnAttemptWaitingForAFreeSlot_keepsItFromStarting() throws Exception {
        GatedDeliverer deliverer = new GatedDeliverer();
        MailQueue queue = new MailQueue(new QueueSettings(dir, "relay.example.test", Duration.ofHours(1),
                Duration.ofHours(2), Duration.ofDays(5), Duration.ofDays(2), 1), deliverer);
        queue.start();
        queues.add(queue);
        String first = put(queue, "a@example.org", "b@example.net");
        String second = put(queue, "a@example.org", "c@example.net");
        await(() -> deliverer.attempts.size() == 1, "no attempt");
        // The second message is dispatched after the first; until then it is not yet waiting for the slot.
        await(() -> text(queue.control(QueueRequest.list(false, false, false))).contains(second + "*"),
                "the second message is not waiting for the slot");
        assertEquals(List.of(second + ": held; the attempt in progress finishes first"),
                queue.control(QueueRequest.of(QueueRequest.Verb.HOLD, List.of(second))).lines());
        deliverer.end(0, DeliveryStatus.DELIVERED);
        await(() -> file(second).notes().held, "not held");
        assertEquals(1, deliverer.attempts.size(), "the held message was attempted");
        assertEquals("not attempted: held by the administrator", file(second).notes().reasons[0]);
        await(() -> Files.notExists(dir.resolve("active").resolve(first)), "the first message stayed");
    }

    @Test
    void delete_duringAnAttempt_keepsWhatItDelivered_andRemovesTheMessageWhenItEnds() throws Exception {
        GatedDeliverer deliverer = new GatedDeliverer();
        MailQueue queue = queue(deliverer);
        String id = put(queue, "a@example.org", "b@example.net");
        await(() -> deliverer.attempts.size() == 1, "no attempt");
        QueueReply deleted = queue.control(QueueRequest.delete(List.of(id), false));
        assertEquals(0, deleted.status());
        assertTrue(deleted.lines().get(0).startsWith(id + ": deleted; the attempt in progress finishes first"));
        assertTrue(Files.exists(dir.resolve("active").resolve(id)), "removed under the attempt");
        deliverer.end(0, DeliveryStatus.DELIVERED);
        await(() -> queue.size() == 0 && Files.notExists(dir.resolve("active").resolve(id)), "not removed");
        assertEquals(1, deliverer.attempts.size());
    }

    @Test
    void deleteWithBounce_queuesAReport_forTheRecipientsNotDelivered() throws Exception {
        GatedDeliverer deliverer = new GatedDeliverer();
        MailQueue queue = queue(deliverer);
        String id = put(queue, "a@example.org", "b@example.net");
        await(() -> deliverer.attempts.size() == 1, "no attempt");
        deliverer.end(0, DeliveryStatus.DEFERRED);
        await(() -> !queue.control(QueueRequest.list(false, false, false)).lines().get(1).contains("*"), "attempt did not end");
        QueueReply reply = queue.control(QueueRequest.delete(List.of(id, "0000000000000000"), true));
        assertEquals(1, reply.status());
        assertTrue(reply.message().contains("0000000000000000"), reply.message());
        assertTrue(reply.lines().get(0).matches(id + ": deleted; delivery status notification [0-9A-F]{16} to <a@example.org>"),
                reply.lines().toString());
        await(() -> deliverer.attempts.size() == 2, "the report is not delivered");
        assertEquals(List.of(Recipient.of("a@example.org")), deliverer.recipients.get(1));
    }

    @Test
    void stoppedSpool_hold_release_flush_delete_workOnTheFiles_underTheLock() throws Exception {
        String id = deferredThenStopped("a@example.org", "b@example.net", "c@example.com");
        QueueReply list = QueueControl.run(settings(), QueueRequest.list(false, false, false));
        assertTrue(text(list).contains(id) && text(list).contains("c@example.com  deferred"), text(list));

        assertEquals(List.of(id + ": held"), QueueControl.run(settings(), QueueRequest.of(QueueRequest.Verb.HOLD, List.of(id)))
                .lines());
        assertTrue(file(id).notes().held);
        assertEquals(List.of(id + ": released; attempted when the relay starts"),
                QueueControl.run(settings(), QueueRequest.of(QueueRequest.Verb.RELEASE, List.of(id))).lines());
        assertFalse(file(id).notes().held);
        assertEquals(0, file(id).notes().nextAttempt);

        QueueReply show = QueueControl.run(settings(), QueueRequest.of(QueueRequest.Verb.SHOW, List.of(id)));
        assertTrue(text(show).contains("sender: <a@example.org>") && text(show).contains("Subject: queued"), text(show));

        QueueReply unknown = QueueControl.run(settings(), QueueRequest.of(QueueRequest.Verb.HOLD, List.of("0000000000000000")));
        assertEquals(1, unknown.status());
        assertTrue(unknown.message().contains("no message 0000000000000000 in the queue"), unknown.message());

        QueueReply deleted = QueueControl.run(settings(), QueueRequest.delete(List.of(id), true));
        assertTrue(deleted.lines().get(0).startsWith(id + ": deleted; delivery status notification "), deleted.lines().toString());
        try (Stream<Path> files = Files.list(dir.resolve("active"))) {
            List<Path> left = files.toList();
            assertEquals(1, left.size(), "the report is queued");
            assertEquals("", QueueFile.read(left.get(0)).envelope().sender());
        }
        // the relay takes the report at its next start
        GatedDeliverer deliverer = new GatedDeliverer();
        queue(deliverer);
        await(() -> deliverer.attempts.size() == 1, "the report is not attempted at start");
    }

    @Test
    void flush_ofOneMessage_orADomain_attemptsOnlyThose() throws Exception {
        GatedDeliverer deliverer = new GatedDeliverer();
        MailQueue queue = queue(deliverer);
        String net = put(queue, "a@example.org", "b@example.net");
        String com = put(queue, "a@example.org", "c@example.com");
        await(() -> deliverer.attempts.size() == 2, "no attempts");
        deliverer.end(0, DeliveryStatus.DEFERRED);
        deliverer.end(1, DeliveryStatus.DEFERRED);
        await(() -> file(net).notes().attempts == 1 && file(com).notes().attempts == 1, "attempts not recorded");

        assertEquals(List.of("1 message for example.com attempted now"),
                queue.control(QueueRequest.flushDomain("EXAMPLE.com")).lines());
        await(() -> deliverer.attempts.size() == 3, "not flushed");
        assertEquals(List.of(Recipient.of("c@example.com")), deliverer.recipients.get(2));
        assertEquals(List.of(com + ": an attempt is in progress"),
                queue.control(QueueRequest.of(QueueRequest.Verb.FLUSH, List.of(com))).lines());
        assertEquals(List.of(net + ": attempted now"), queue.control(QueueRequest.of(QueueRequest.Verb.FLUSH, List.of(net)))
                .lines());
        await(() -> deliverer.attempts.size() == 4, "not flushed");
        assertEquals(List.of(Recipient.of("b@example.net")), deliverer.recipients.get(3));
        assertEquals(2, deliverer.forgotten.get(), "a flush does not clear the unavailable destinations");
    }

    @Test
    void stoppedSpool_flushOfADomain_makesOnlyItsMessagesDueAtStart() throws Exception {
        String id = deferredThenStopped("a@example.org", "b@example.net");
        assertEquals(List.of("0 messages for example.com attempted when the relay starts"),
                QueueControl.run(settings(), QueueRequest.flushDomain("example.com")).lines());
        assertTrue(file(id).notes().nextAttempt > 0);
        assertEquals(List.of(id + ": attempted when the relay starts"),
                QueueControl.run(settings(), QueueRequest.of(QueueRequest.Verb.FLUSH, List.of(id))).lines());
        assertEquals(0, file(id).notes().nextAttempt);
        GatedDeliverer deliverer = new GatedDeliverer();
        queue(deliverer);
        await(() -> deliverer.attempts.size() == 1, "a flushed message is not attempted at start");
    }

    @Test
    void stoppedSpool_ofAnotherUser_isNotEdited_andSaysWhoMay() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("user.name").equals("root"),
                "needs root to give the queue to another user");
        Files.createDirectories(dir);
        Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        QueueReply reply = QueueControl.run(settings(), QueueRequest.list(false, false, false));
        assertEquals(1, reply.status());
        assertTrue(reply.message().contains("run the command as nobody (sudo -u nobody sealpost queue ...)"),
                reply.message());
        assertTrue(Files.notExists(dir.resolve("lock")), "the lock file was made by another user");
    }

    @Test
    void lockedQueue_withoutAnAnsweringSocket_saysSo() throws Exception {
        Files.createDirectories(dir);
        try (QueueLock lock = QueueLock.acquire(dir)) {
            QueueReply reply = QueueControl.run(settings(), QueueRequest.list(false, false, false));
            assertEquals(1, reply.status());
            assertTrue(reply.message().contains("is locked by a running Sealpost (pid " + ProcessHandle.current().pid()
                    + "), but its control socket " + dir.resolve("control") + " does not answer"), reply.message());
        }
    }
}
