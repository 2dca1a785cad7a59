package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.SealpostCli;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.ShortProcess;
import org.sealpost.interop.support.SmtpClient;
import org.sealpost.interop.support.SmtpSink;

/**
 * client -> sealpost (holds the queue lock) -> smtp-sink, while a second `sealpost run` on the same
 * queue_directory exits 1 naming the first one's pid, and the first goes on delivering.
 */
class QueueLockTest {

    @TempDir
    Path dir;

    @Test
    void secondRelayOnTheSameQueue_exits1NamingTheFirst_whichKeepsDelivering() throws Exception {
        try (SmtpSink sink = new SmtpSink(dir, "127.0.0.1")) {
            Path queue = dir.resolve("queue");
            int port = Loopback.freePort("127.0.0.1");
            Map<String, String> config = new LinkedHashMap<>();
            config.put("hostname", "relay.interop.test");
            config.put("queue_directory", queue.toString());
            config.put("listeners", "submission");
            config.put("listener.submission.role", "submission");
            config.put("listener.submission.address", "127.0.0.1:" + port);
            config.put("relayhost", "[127.0.0.1]:" + sink.port);

            try (SealpostProcess first = new SealpostProcess(dir.resolve("first"), config).start()) {
                Map<String, String> second = new LinkedHashMap<>(config);
                second.put("listener.submission.address", "127.0.0.1:" + Loopback.freePort("127.0.0.1"));
                second.put("log_file", dir.resolve("second.log").toString()); // standard error: the failure alone
                Path secondConfig = dir.resolve("second.conf");
                Files.write(secondConfig, second.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).toList());
                ShortProcess.Result run = SealpostCli.run(dir, new byte[0], "run", "--config", secondConfig.toString());

                assertEquals(1, run.status(), run.describe());
                assertEquals("sealpost: queue_directory " + queue + " is in use by another Sealpost process (pid "
                        + first.pid() + ", lock " + queue.resolve("lock") + ")\n", run.stderr(), run.describe());
                assertEquals(first.pid() + "\n", Files.readString(queue.resolve("lock")));

                try (SmtpClient client = new SmtpClient("127.0.0.1", port)) {
                    String reply = client.send("alice@interop.test", "bob@sink.interop.test",
                            "From: alice@interop.test\r\nSubject: still delivering\r\n\r\nlock-token-7\r\n");
                    assertTrue(reply.startsWith("250"), reply);
                }
                sink.awaitMessage("lock-token-7", Duration.ofSeconds(30));

                for (Path folder : List.of(queue, queue.resolve("incoming"), queue.resolve("active"),
                        queue.resolve("corrupt"), queue.resolve("pins"), queue.resolve("state"))) {
                    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)),
                            folder.toString());
                }
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(queue.resolve("lock"))));
                if ("root".equals(System.getProperty("user.name"))) {
                    assertEquals(1, first.count("warning: sealpost is running as root; run it as an unprivileged user"),
                            first.output());
                }
            }
        }
    }
}
