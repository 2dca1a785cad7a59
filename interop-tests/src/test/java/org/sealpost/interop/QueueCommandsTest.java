package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.SealpostCli;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.ShortProcess;
import org.sealpost.interop.support.SmtpClient;
import org.sealpost.interop.support.SmtpSink;

/**
 * client -> sealpost submission -> next hop (451 at RCPT, or stalling in DATA); sealpost queue ... -> control socket;
 * delete --bounce -> report -> smtp-sink
 *
 * <p>The queue commands against a running relay, whose deferred mail they list, show, hold,
 * release, flush and delete (the report of a delete --bounce reaching a real peer, read as RFC
 * 3464), then against the same spool once the relay has stopped; and delete and hold of messages
 * whose delivery is in progress, which take effect when the attempt ends.
 */
class QueueCommandsTest {

    @TempDir
    Path dir;

    /** A next hop that defers recipients of defer.test and other.test at RCPT, and can stall after DATA. */
    private static final class NextHop implements AutoCloseable {
        final ServerSocket server;
        final List<String> received = new CopyOnWriteArrayList<>();
        final List<String> rcpts = new CopyOnWriteArrayList<>();
        final Semaphore stalled = new Semaphore(0);
        final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

        NextHop(int port) throws IOException {
            server = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        Thread session = new Thread(() -> serve(socket));
                        session.setDaemon(true);
                        session.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void serve(Socket socket) {
            try (socket) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream out = socket.getOutputStream();
                reply(out, "220 nexthop.test ESMTP");
                for (String line; (line = in.readLine()) != null; ) {
                    String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                    switch (verb) {
                        case "EHLO" -> reply(out, "250-nexthop.test\r\n250 8BITMIME");
                        case "RCPT" -> {
                            rcpts.add(line);
                            reply(out, line.matches("(?i).*@(defer|other)\\.test>.*") ? "451 4.3.0 try again later"
                                    : "250 2.1.5 Ok");
                        }
                        case "DATA" -> {
                            reply(out, "354 go ahead");
                            StringBuilder content = new StringBuilder();
                            for (String data; (data = in.readLine()) != null && !data.equals("."); ) {
                                content.append(data).append('\n');
                            }
                            stalled.release(); // the content is here: the attempt is in progress until answered
                            String answer = answers.poll(60, TimeUnit.SECONDS);
                            if (answer != null && answer.startsWith("250")) {
                                received.add(content.toString());
                            }
                            reply(out, answer == null ? "451 4.3.0 nobody answered" : answer);
                        }
                        case "QUIT" -> {
                            reply(out, "221 2.0.0 Bye");
                            return;
                        }
                        default -> reply(out, "250 2.0.0 Ok");
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the relay hung up
            }
        }

        private static void reply(OutputStream out, String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private SealpostProcess relay(int submission, int next, int reports) throws IOException {
        return new SealpostProcess(dir.resolve("sealpost"), Map.of(
                "hostname", "relay.interop.test",
                "queue_directory", dir.resolve("sealpost/queue").toString(),
                "listeners", "submission",
                "listener.submission.role", "submission",
                "listener.submission.address", "127.0.0.1:" + submission,
                "relayhost", "[127.0.0.1]:" + next,
                "route.sender.test", "[127.0.0.1]:" + reports,
                // no retry of its own while the test runs: every attempt after the first is a command's
                "queue_min_backoff", "1h",
                "queue_max_backoff", "1h"));
    }

    private ShortProcess.Result queue(SealpostProcess sealpost, String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "queue";
        all[1] = args[0];
        all[2] = "--config=" + sealpost.config();
        System.arraycopy(args, 1, all, 3, args.length - 1);
        return SealpostCli.run(dir, new byte[0], all);
    }

    private static String submit(SmtpClient client, String token, String... to) throws IOException {
        String reply = client.transact("alice@sender.test", "", List.of(to),
                ("Subject: " + token + "\r\nFrom: alice@sender.test\r\n\r\n" + token + "\r\n").getBytes(StandardCharsets.US_ASCII));
        Matcher id = Pattern.compile("queued as ([0-9A-F]{16})").matcher(reply);
        assertTrue(id.find(), reply);
        return id.group(1);
    }

    @Test
    void deferredMail_isListedShownHeldReleasedFlushedAndDeleted_onARunningRelay_andOnTheStoppedSpool() throws Exception {
        int submission = Loopback.freePort("127.0.0.1");
        int reports = Loopback.freePort("127.0.0.1");
        try (NextHop next = new NextHop(Loopback.freePort("127.0.0.1"));
                SmtpSink sink = new SmtpSink(dir, "127.0.0.1", reports);
                SealpostProcess sealpost = relay(submission, next.server.getLocalPort(), reports).start()) {
            String m1;
            String m2;
            String m3;
            try (SmtpClient client = new SmtpClient("127.0.0.1", submission)) {
                m1 = submit(client, "token-one", "bob@defer.test");
                m2 = submit(client, "token-two", "carol@defer.test", "dave@other.test");
                m3 = submit(client, "token-three", "erin@defer.test");
            }
            sealpost.awaitCount("status=deferred", 4, Duration.ofSeconds(20));

            ShortProcess.Result list = queue(sealpost, "list");
            assertEquals(0, list.status(), list.describe());
            assertTrue(list.out().contains(m1) && list.out().contains(m2) && list.out().contains(m3), list.describe());
            assertTrue(list.out().contains("bob@defer.test  deferred  (451 4.3.0 try again later)  next attempt "),
                    list.describe());
            assertTrue(list.out().contains("-- 1 KiB in 3 messages."), list.describe());

            // --json, read by Python's json module: one line per recipient
            ShortProcess.Result json = queue(sealpost, "list", "--json");
            String parsed = python(json.stdout(), "for m in json.load(sys.stdin):\n"
                    + "  for r in m['recipients']:\n"
                    + "    print(m['id'], m['sender'], m['held'], m['size'] > 0, m['arrival'][-1], r['address'], r['state'],"
                    + " r['last_reason'], r['next_attempt'] is not None)\n");
            assertTrue(parsed.contains(m2 + " alice@sender.test False True Z dave@other.test deferred 451 4.3.0 try again later True"),
                    parsed + "\n" + json.describe());

            ShortProcess.Result show = queue(sealpost, "show", m1);
            assertTrue(show.status() == 0 && show.out().contains("sender: <alice@sender.test>")
                    && show.out().contains("recipient: <bob@defer.test> deferred (451 4.3.0 try again later)")
                    && show.out().contains("Subject: token-one"), show.describe());

            // hold m1: a flush then attempts m2 and m3 only
            assertEquals(m1 + ": held\n", queue(sealpost, "hold", m1).out());
            ShortProcess.Result flush = queue(sealpost, "flush");
            assertEquals("2 messages attempted now\n", flush.out(), flush.describe());
            sealpost.awaitCount("status=deferred", 7, Duration.ofSeconds(20));
            assertEquals(1, sealpost.count(m1 + ": to=<bob@defer.test>.*status=deferred"), sealpost.output());
            assertTrue(queue(sealpost, "list", "--held").out().contains(m1 + "!"));

            // release m1: attempted at once
            assertEquals(m1 + ": released; attempted now\n", queue(sealpost, "release", m1).out());
            sealpost.awaitCount(m1 + ": to=<bob@defer.test>.*status=deferred", 2, Duration.ofSeconds(20));

            // flush --domain other.test: only m2 has a recipient there
            assertEquals("1 message for other.test attempted now\n", queue(sealpost, "flush", "--domain", "other.test").out());
            sealpost.awaitCount(m2 + ": to=<dave@other.test>.*status=deferred", 3, Duration.ofSeconds(20));
            assertEquals(2, sealpost.count(m3 + ": to=<erin@defer.test>.*status=deferred"), sealpost.output());

            // delete --bounce m3: the report reaches smtp-sink, as RFC 3464 says
            ShortProcess.Result bounced = queue(sealpost, "delete", "--bounce", m3);
            assertTrue(bounced.status() == 0 && bounced.out().startsWith(m3 + ": deleted; delivery status notification "),
                    bounced.describe());
            assertReport(sink.awaitMessage("token-three", Duration.ofSeconds(20)), "erin@defer.test");

            ShortProcess.Result deleted = queue(sealpost, "delete", m1, "0000000000000000");
            assertEquals(1, deleted.status(), deleted.describe());
            assertTrue(deleted.out().equals(m1 + ": deleted\n")
                    && deleted.stderr().contains("no message 0000000000000000 in the queue"), deleted.describe());
            ShortProcess.Result after = queue(sealpost, "list");
            assertTrue(!after.out().contains(m1) && !after.out().contains(m3) && after.out().contains(m2), after.describe());

            // the relay stops: the same commands on its files, under the queue lock
            sealpost.close();
            assertTrue(Files.notExists(dir.resolve("sealpost/queue/control")), "the control socket outlived the relay");
            ShortProcess.Result stopped = queue(sealpost, "list", "--deferred");
            assertTrue(stopped.out().contains(m2) && stopped.out().contains("dave@other.test  deferred  (451 4.3.0 try again "
                    + "later)  next attempt ") && stopped.out().contains("-- 1 KiB in 1 message."), stopped.describe());
            assertEquals(m2 + ": held\n", queue(sealpost, "hold", m2).out());
            assertTrue(queue(sealpost, "list", "--json").out().contains("\"held\":true"));
            assertEquals(m2 + ": released; attempted when the relay starts\n", queue(sealpost, "release", m2).out());
            assertEquals("1 message attempted when the relay starts\n", queue(sealpost, "flush").out());
            assertEquals(1, queue(sealpost, "show", m1).status());
            assertEquals(m2 + ": deleted\n", queue(sealpost, "delete", m2).out());
            assertEquals("Mail queue is empty\n", queue(sealpost, "list").out());
        }
    }

    @Test
    void deleteAndHold_duringADeliveryThatStallsInData_takeEffectWhenTheAttemptEnds() throws Exception {
        int submission = Loopback.freePort("127.0.0.1");
        int reports = Loopback.freePort("127.0.0.1");
        try (NextHop next = new NextHop(Loopback.freePort("127.0.0.1"));
                SealpostProcess sealpost = relay(submission, next.server.getLocalPort(), reports).start();
                SmtpClient client = new SmtpClient("127.0.0.1", submission)) {
            // hold while the next hop has the content and has not answered: the attempt ends deferred, then it is held
            String held = submit(client, "token-held", "frank@stall.test");
            assertTrue(next.stalled.tryAcquire(20, TimeUnit.SECONDS), "the delivery did not reach DATA");
            assertTrue(queue(sealpost, "list").out().contains(held + "*"), "not marked as being attempted");
            assertEquals(held + ": held; the attempt in progress finishes first\n", queue(sealpost, "hold", held).out());
            next.answers.add("451 4.3.0 not now");
            sealpost.awaitLine(held + ": held by the administrator", Duration.ofSeconds(20));
            ShortProcess.Result list = queue(sealpost, "list", "--held");
            assertTrue(list.out().contains(held + "!") && list.out().contains("frank@stall.test  deferred  (451 4.3.0 not now)"),
                    list.describe());

            // delete while the next hop has the content: it accepts, the message is delivered once and removed
            String deleted = submit(client, "token-deleted", "grace@stall.test");
            assertTrue(next.stalled.tryAcquire(20, TimeUnit.SECONDS), "the delivery did not reach DATA");
            ShortProcess.Result delete = queue(sealpost, "delete", deleted);
            assertTrue(delete.out().startsWith(deleted + ": deleted; the attempt in progress finishes first"), delete.describe());
            next.answers.add("250 2.0.0 Ok: queued");
            sealpost.awaitLine(deleted + ": removed \\(deleted by the administrator\\)", Duration.ofSeconds(20));
            assertEquals(1, sealpost.count(deleted + ": to=<grace@stall.test>.*status=sent"), sealpost.output());
            ShortProcess.Result after = queue(sealpost, "list");
            assertTrue(!after.out().contains(deleted) && after.out().contains(held), after.describe());
            assertTrue(Files.notExists(dir.resolve("sealpost/queue/active").resolve(deleted)));

            // nothing more was attempted: the held message waits, the deleted one is gone
            assertEquals(0, queue(sealpost, "flush").status());
            Thread.sleep(500);
            assertEquals(1, next.received.size(), "delivered twice or more: " + next.received);
            assertTrue(next.received.get(0).contains("token-deleted"));
            assertEquals(0, next.stalled.availablePermits(), "another attempt reached DATA");
        }
    }

    /** The report as a receiver's MIME parser reads it: RFC 3464 multipart/report with the recipient failed. */
    private static void assertReport(String dump, String recipient) throws Exception {
        String raw = dump.replaceAll("(?m)\\A(?:X-(?:Client-[A-Za-z]+|Helo-Args|Mail-Args|Rcpt-Args): [^\n]*\n)+", "")
                .replaceAll("\r?\n", "\r\n");
        assertTrue(dump.contains("\nX-Mail-Args: <> ") || dump.startsWith("X-Mail-Args: <> ")
                || dump.contains("X-Mail-Args: <>"), "the report's envelope sender is not empty:\n" + dump);
        MimeMessage report = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
        assertTrue(report.isMimeType("multipart/report"), raw);
        assertEquals("delivery-status", new ContentType(report.getContentType()).getParameter("report-type"), raw);
        MimeMultipart parts = (MimeMultipart) report.getContent();
        assertTrue(parts.getBodyPart(1).isMimeType("message/delivery-status"), raw);
        String status;
        try (var in = parts.getBodyPart(1).getInputStream()) {
            status = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(status.contains("Final-Recipient: rfc822; " + recipient + "\r\nAction: failed\r\nStatus: 5.0.0\r\n"), status);
        assertTrue(status.contains("deleted by the administrator"), status);
    }

    private String python(byte[] stdin, String body) throws Exception {
        ShortProcess.Result run = ShortProcess.run(List.of("python3", "-c", "import json, sys\n" + body), Map.of(), stdin,
                dir, Duration.ofSeconds(30));
        assertEquals(0, run.status(), run.describe());
        return run.out();
    }
}
