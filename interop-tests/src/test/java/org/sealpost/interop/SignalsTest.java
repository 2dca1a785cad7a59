package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.Peers;
import org.sealpost.interop.support.RunningProcess;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpClient;

/**
 * logrotate (mv + kill -HUP) and systemd (kill -TERM) -> sealpost run: HUP keeps it running and
 * opens a new log_file; TERM stops it with exit status 0 and the queued message stays queued.
 */
class SignalsTest {

    @TempDir
    Path dir;

    @Test
    void hup_reopensTheMovedLogFile_andTerm_stopsWithStatus0() throws Exception {
        int port = Loopback.freePort("127.0.0.1");
        int nobody = Loopback.freePort("127.0.0.1"); // the next hop is down: the message stays queued
        Path log = dir.resolve("log/sealpost.log");
        Files.createDirectories(log.getParent());
        Map<String, String> config = new LinkedHashMap<>();
        config.put("hostname", "relay.interop.test");
        config.put("queue_directory", dir.resolve("queue").toString());
        config.put("log_file", log.toString());
        config.put("listeners", "submission");
        config.put("listener.submission.role", "submission");
        config.put("listener.submission.address", "127.0.0.1:" + port);
        config.put("relayhost", "[127.0.0.1]:" + nobody);
        try (SealpostProcess relay = new SealpostProcess(dir.resolve("run"), config).start()) {
            RunningProcess process = relay.process();
            try (SmtpClient client = new SmtpClient("127.0.0.1", port)) {
                String reply = client.send("alice@src.test", "bob@dest.test", "Subject: queued\r\n\r\nstays queued\r\n");
                assertTrue(reply.startsWith("250"), reply);
            }
            process.awaitLine(log, "status=deferred", Duration.ofSeconds(30));

            Path rotated = dir.resolve("log/sealpost.log.1");
            Files.move(log, rotated); // logrotate's rename, then its postrotate kill -HUP
            process.signal("HUP");
            String reloaded = process.awaitLine(log, "reload: log_file " + log + " reopened", Duration.ofSeconds(20));
            assertTrue(process.isAlive(), "SIGHUP stopped the relay");
            assertTrue(Files.readString(rotated).contains("sealpost started"), "the old lines left the rotated file");
            assertTrue(!Files.readString(rotated).contains("reload:"), "the relay went on writing into the rotated file");
            try (SmtpClient client = new SmtpClient("127.0.0.1", port)) {
                assertTrue(client.send("alice@src.test", "bob@dest.test", "Subject: after\r\n\r\nafter HUP\r\n")
                        .startsWith("250"));
            }
            process.awaitLine(log, "to=<bob@dest.test>.*status=deferred", Duration.ofSeconds(30));

            process.signal("TERM");
            assertEquals(0, process.awaitExit(Duration.ofSeconds(20)), "exit status after SIGTERM; " + reloaded);
            process.awaitLine(log, "sealpost stopped", Duration.ofSeconds(1));
            try (Stream<Path> queued = Files.list(dir.resolve("queue/active"))) {
                assertEquals(2, queued.count(), "the queued messages did not survive the stop");
            }
        }
    }

    /** nohup sets SIGHUP to be ignored, and the JVM then installs no handler: the relay says so rather than reload never. */
    @Test
    void startedUnderNohup_saysThatSighupWillNotReload() throws Exception {
        Peers.require("nohup", "/usr/bin/nohup");
        Map<String, String> config = new LinkedHashMap<>();
        config.put("hostname", "relay.interop.test");
        config.put("queue_directory", dir.resolve("queue").toString());
        config.put("listeners", "submission");
        config.put("listener.submission.role", "submission");
        config.put("listener.submission.address", "127.0.0.1:" + Loopback.freePort("127.0.0.1"));
        try (SealpostProcess relay = new SealpostProcess(dir.resolve("run"), config).through(List.of("/usr/bin/nohup"))
                .start()) {
            relay.awaitLine("warning: SIGHUP is ignored by the process that started sealpost \\(nohup\\?\\), so it will "
                    + "not reload", Duration.ofSeconds(5));
            assertEquals(0, relay.count("SIGTERM is ignored"), "only HUP was ignored: " + relay.output());
        }
    }
}
