package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpClient;
import org.sealpost.interop.support.SmtpSink;

/**
 * load clients -> sealpost submission (killed with SIGKILL mid-load, restarted) -> smtp-sink:
 * every message that got a 250 arrives; duplicates of messages in flight at the kill are counted.
 */
class CrashRecoveryTest {

    private static final int CLIENTS = 8;
    private static final int MESSAGES = 2000;
    private static final Pattern TOKEN = Pattern.compile("crash-token-(\\d+)-end");

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMessage_survivesSigkill() throws Exception {
        try (SmtpSink sink = new SmtpSink(dir, "127.0.0.1")) {
            int port = Loopback.freePort("127.0.0.1");
            Map<String, String> config = new LinkedHashMap<>();
            config.put("hostname", "relay.interop.test");
            config.put("queue_directory", dir.resolve("queue").toString());
            config.put("listeners", "submission");
            config.put("listener.submission.role", "submission");
            config.put("listener.submission.address", "127.0.0.1:" + port);
            config.put("relayhost", "[127.0.0.1]:" + sink.port);
            config.put("queue_min_backoff", "1s");
            config.put("queue_max_backoff", "2s");

            Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger next = new AtomicInteger();
            SealpostProcess first = new SealpostProcess(dir.resolve("run1"), config).start();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Thread client = new Thread(() -> load(port, next, acknowledged));
                client.start();
                clients.add(client);
            }
            Instant deadline = Instant.now().plusSeconds(60);
            while (acknowledged.size() < MESSAGES * 2 / 5 && Instant.now().isBefore(deadline)) {
                Thread.sleep(10);
            }
            first.kill();
            int acknowledgedAtKill = acknowledged.size();
            for (Thread client : clients) {
                client.join(30_000);
            }
            assertTrue(acknowledgedAtKill > 100, "the load barely started: " + acknowledgedAtKill);

            try (SealpostProcess second = new SealpostProcess(dir.resolve("run2"), config).start()) {
                Map<Integer, Integer> arrived = awaitArrival(sink, acknowledged, Duration.ofSeconds(90));
                Set<Integer> lost = new java.util.TreeSet<>(acknowledged);
                lost.removeAll(arrived.keySet());
                long duplicates = arrived.values().stream().filter(n -> n > 1).count();
                System.out.printf("crash test: %d acknowledged before SIGKILL, %d arrived, %d lost, %d duplicated%n",
                        acknowledged.size(), arrived.size(), lost.size(), duplicates);
                if (!lost.isEmpty()) {
                    String log = second.output();
                    throw new AssertionError(lost.size() + " messages acknowledged with 250 were never delivered, e.g. "
                            + lost.stream().limit(10).toList() + "; the sink holds " + sink.messages().size()
                            + " messages; the restarted relay logged:\n" + log.substring(Math.max(0, log.length() - 3000)));
                }
                assertTrue(second.count("recovered \\d+ queued messages") <= 1);
            } finally {
                first.close();
            }
        }
    }

    private static void load(int port, AtomicInteger next, Set<Integer> acknowledged) {
        try (SmtpClient client = new SmtpClient("127.0.0.1", port)) {
            int n;
            while ((n = next.getAndIncrement()) < MESSAGES) {
                String content = "From: load@interop.test\r\nTo: sink@sink.interop.test\r\nSubject: crash " + n
                        + "\r\nMessage-ID: <" + n + "@load.interop.test>\r\n\r\n" + ("x".repeat(72) + "\r\n").repeat(40)
                        + "crash-token-" + n + "-end\r\n";
                if (client.send("load@interop.test", "sink@sink.interop.test", content).startsWith("250")) {
                    acknowledged.add(n);
                }
            }
        } catch (Exception e) {
            // the relay was killed: the messages without a 250 are the client's to retry
        }
    }

    /** Polls the sink until every acknowledged token arrived or time is up; counts per token. */
    private static Map<Integer, Integer> awaitArrival(SmtpSink sink, Set<Integer> expected, Duration timeout)
            throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Map<Integer, Integer> arrived = new HashMap<>();
        while (Instant.now().isBefore(deadline)) {
            arrived.clear();
            for (String message : sink.messages()) {
                Matcher m = TOKEN.matcher(message);
                if (m.find()) {
                    arrived.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
                }
            }
            if (arrived.keySet().containsAll(expected)) {
                break;
            }
            Thread.sleep(500);
        }
        return arrived;
    }
}
