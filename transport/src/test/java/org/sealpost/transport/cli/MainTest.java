package org.sealpost.transport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

    @TempDir
    Path dir;

    @Test
    void run_withBadConfiguration_exits2AndNamesTheProblem() throws Exception {
        Path config = dir.resolve("sealpost.conf");
        Files.write(config, List.of("listeners = s", "listener.s.role = relay", "listener.s.address = 127.0.0.1:0"));
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = new CommandLine(new Main()).execute("run", "--config", config.toString());
        } finally {
            System.setErr(original);
        }
        assertEquals(Main.CONFIG_ERROR, status);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("sealpost.conf:2: listener.s.role: expected submission or mx, got 'relay'"), message);
    }

    @Test
    void run_withMissingFile_exits2() {
        assertEquals(Main.CONFIG_ERROR,
                new CommandLine(new Main()).execute("run", "--config", dir.resolve("absent.conf").toString()));
    }
}
