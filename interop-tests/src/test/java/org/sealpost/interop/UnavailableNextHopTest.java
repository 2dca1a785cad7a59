package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpClient;
import org.sealpost.interop.support.SmtpSink;

/**
 * client -> sealpost submission -> relayhost [127.0.0.1]:PORT (refusing, then smtp-sink)
 *
 * <p>While the next hop refuses, its messages are deferred together instead of each making its
 * own connection on every retry; once it listens again, everything is delivered.
 */
class UnavailableNextHopTest {

    private static final int MESSAGES = 30;

    @TempDir
    Path dir;

    @Test
    void refusingRelayhost_getsAFewConnectionsNotOnePerMessageAndRetry_thenEverythingIsDelivered() throws Exception {
        int submission = Loopback.freePort("127.0.0.1");
        int next = Loopback.freePort("127.0.0.1");
        try (SealpostProcess sealpost = new SealpostProcess(dir.resolve("sealpost"), Map.of(
                        "hostname", "relay.interop.test",
                        "queue_directory", dir.resolve("sealpost/queue").toString(),
                        "listeners", "submission",
                        "listener.submission.role", "submission",
                        "listener.submission.address", "127.0.0.1:" + submission,
                        "relayhost", "[127.0.0.1]:" + next,
                        "queue_min_backoff", "1s",
                        "queue_max_backoff", "1s",
                        "destination_unavailable_time", "2s")).start()) {
            try (SmtpClient client = new SmtpClient("127.0.0.1", submission)) {
                for (int i = 0; i < MESSAGES; i++) {
                    assertTrue(client.send("alice@relay.interop.test", "bob" + i + "@remote.interop.test",
                            "Subject: outage " + i + "\r\n\r\noutage-token-" + i).startsWith("250"));
                }
            }
            // Every message retries each second: without the mark, about MESSAGES connections a second.
            Thread.sleep(5_000);
            String refused = "[0-9A-F]{16}: connect to 127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:" + next + ": Connection refused$";
            // Attempts already past the check when the first failure marks the destination still
            // connect (as many as were in flight, at most a few); after that, one probe a period.
            List<LocalTime> connects = times(sealpost.output(), refused);
            List<LocalTime> marks = times(sealpost.output(), "is unavailable for 2s");
            assertTrue(!connects.isEmpty() && !marks.isEmpty(), sealpost.output());
            LocalTime settled = marks.get(0).plusNanos(500_000_000L);
            long probes = connects.stream().filter(t -> t.isAfter(settled)).count();
            assertTrue(connects.size() < MESSAGES / 2 && probes <= 3, connects.size() + " refused connections, "
                    + probes + " of them after the mark:\n" + sealpost.output());
            assertTrue(sealpost.count("destination \\[127\\.0\\.0\\.1\\]:" + next + " is unavailable for 2s") >= 1,
                    sealpost.output());
            assertTrue(sealpost.count("status=deferred \\(delivery temporarily suspended: connect to 127\\.0\\.0\\.1") >= MESSAGES,
                    sealpost.output());

            try (SmtpSink sink = new SmtpSink(dir, "127.0.0.1", next)) {
                for (int i = 0; i < MESSAGES; i++) {
                    sink.awaitMessage("outage-token-" + i, Duration.ofSeconds(30));
                }
                sealpost.awaitLine("destination \\[127\\.0\\.0\\.1\\]:" + next + " is available again", Duration.ofSeconds(5));
            }
        }
    }

    /** The times of the log lines that match {@code regex} (the log's "Dec 01 22:31:39.642" prefix). */
    private static List<LocalTime> times(String log, String regex) {
        Pattern pattern = Pattern.compile(regex);
        return log.lines().filter(line -> pattern.matcher(line).find())
                .map(line -> LocalTime.parse(line.substring(7, 19))).toList();
    }
}
