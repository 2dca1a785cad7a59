package org.sealpost.transport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        assertTrue(message.contains("sealpost.conf:2: listener.s.role: unknown role 'relay', expected submission or mx"), message);
    }

    @Test
    void run_withSeveralErrors_printsEachOnItsOwnLine() throws Exception {
        Path config = dir.resolve("sealpost.conf");
        Files.write(config, List.of("listeners = s", "listener.s.role = relay", "listener.s.address = 127.0.0.1:0",
                "queue_lifetme = 5d"));
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
        assertEquals(List.of(
                "sealpost: configuration error: " + config + ":2: listener.s.role: unknown role 'relay', expected submission or mx",
                "sealpost: configuration error: " + config + ":4: queue_lifetme: unknown key; did you mean queue_lifetime?"),
                err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void run_withThePortInUse_printsOneLineAndExits1() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Path config = dir.resolve("sealpost.conf");
            Files.write(config, List.of("queue_directory = " + dir.resolve("queue"), "listeners = mx", "listener.mx.role = mx",
                    "listener.mx.address = 127.0.0.1:" + taken.getLocalPort(), "local_domains = example.test"));
            PrintStream original = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status;
            try {
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                status = new CommandLine(new Main()).execute("run", "--config", config.toString());
            } finally {
                System.setErr(original);
            }
            assertEquals(Main.STARTUP_FAILURE, status);
            assertEquals("sealpost: listener mx: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use; stop what uses it or change listener.mx.address\n",
                    err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void run_withMissingFile_exits2() {
        assertEquals(Main.CONFIG_ERROR,
                new CommandLine(new Main()).execute("run", "--config", dir.resolve("absent.conf").toString()));
    }

    /** Every command and sub-command, as the words that name it after {@code sealpost}. */
    private static List<List<String>> commands(CommandLine command, List<String> words) {
        List<List<String>> found = new ArrayList<>();
        command.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandName().equals(name)) {
                return; // an alias
            }
            List<String> path = new ArrayList<>(words);
            path.add(name);
            found.add(path);
            found.addAll(commands(sub, path));
        });
        return found;
    }

    @Test
    void help_isAcceptedByEveryCommandAndSubcommand() {
        List<List<String>> commands = commands(new CommandLine(new Main()), List.of());
        assertTrue(commands.contains(List.of("tls", "next-key")), commands.toString());
        for (List<String> words : commands) {
            for (String option : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(words);
                args.add(option);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                CommandLine line = new CommandLine(new Main());
                line.setOut(new java.io.PrintWriter(out, true, StandardCharsets.UTF_8));
                line.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
                int status = line.execute(args.toArray(String[]::new));
                String shown = "sealpost " + String.join(" ", args) + ": status " + status + ", " + err;
                assertEquals(0, status, shown);
                if (!words.equals(List.of("help"))) { // picocli's own help command writes where it pleases
                    String usage = out.toString(StandardCharsets.UTF_8);
                    assertTrue(usage.startsWith("Usage: sealpost " + String.join(" ", words) + " "), shown + usage);
                }
            }
        }
    }
}
