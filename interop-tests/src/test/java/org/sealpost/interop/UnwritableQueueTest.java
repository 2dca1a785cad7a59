package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.SealpostCli;
import org.sealpost.interop.support.ShortProcess;

/**
 * sealpost run with a queue_directory it cannot create: one line on standard error, exit status 1.
 * The tests run as root, who may write anywhere, so the folder lies under a regular file, which
 * nobody can create a folder in.
 */
class UnwritableQueueTest {

    @TempDir
    Path dir;

    @Test
    void queueDirectoryThatCannotBeCreated_isOneLineAndExit1() throws Exception {
        Path queue = Files.writeString(dir.resolve("a-file"), "").resolve("queue");
        Path config = dir.resolve("sealpost.conf");
        Files.write(config, List.of("hostname = relay.interop.test", "queue_directory = " + queue,
                "log_file = " + dir.resolve("sealpost.log"), "listeners = submission",
                "listener.submission.role = submission",
                "listener.submission.address = 127.0.0.1:" + Loopback.freePort("127.0.0.1")));

        ShortProcess.Result run = SealpostCli.run(dir, new byte[0], "run", "--config", config.toString());

        assertEquals(1, run.status(), run.describe());
        String uid = run.stderr().replaceAll("(?s).*\\(uid ([0-9]+|unknown)\\)\n$", "$1");
        assertEquals("sealpost: queue_directory " + queue + ": cannot create or write it (" + queue
                + ": Not a directory); make it a folder writable by the user Sealpost runs as (uid " + uid + ")\n",
                run.stderr(), run.describe());
    }
}
