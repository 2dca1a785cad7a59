package org.sealpost.transport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code sealpost config check} and {@code sealpost config show}. The broken configurations are files:
 * src/test/resources/bad-configs/NAME.conf, one per error or warning, each with NAME.expected, the
 * whole output of the check ({dir} standing for the folder), whose summary line gives the exit status.
 */
class ConfigCommandTest {

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run sealpost(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            status = new CommandLine(new Main()).execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Run(status, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    private static Path badConfigs() throws URISyntaxException {
        return Path.of(ConfigCommandTest.class.getResource("/bad-configs").toURI());
    }

    static Stream<String> badConfigNames() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(badConfigs())) {
            List<String> names = files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".conf"))
                    .map(name -> name.substring(0, name.length() - ".conf".length())).sorted().toList();
            return names.stream();
        }
    }

    @Test
    void badConfigs_holdEnoughCases_eachWithItsExpectedOutput() throws Exception {
        List<String> names = badConfigNames().toList();
        assertTrue(names.size() >= 15, names.toString());
        for (String name : names) {
            assertTrue(Files.exists(badConfigs().resolve(name + ".expected")), name + ".expected is missing");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigNames")
    void check_badConfig_printsItsExpectedFindings_andTheStatusOfTheSummary(String name) throws Exception {
        Path folder = badConfigs();
        String expected = Files.readString(folder.resolve(name + ".expected"), StandardCharsets.UTF_8)
                .replace("{dir}", folder.toString());
        Run run = sealpost("config", "check", "--config", folder.resolve(name + ".conf").toString());
        assertEquals(expected, run.out(), name);
        Matcher summary = Pattern.compile(": (\\d+) errors?, (\\d+) warnings?\n$").matcher(expected);
        assertTrue(summary.find(), name + ".expected ends without its summary line");
        int status = Integer.parseInt(summary.group(1)) > 0 ? 2 : Integer.parseInt(summary.group(2)) > 0 ? 1 : 0;
        assertEquals(status, run.status(), name);
        assertEquals("", run.err(), name);
    }

    @Test
    void check_listenerAddressInUse_isAWarning_worded_asTheStartWouldSayIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path config = dir.resolve("sealpost.conf");
            Files.write(config, List.of("queue_directory = " + dir, "listeners = mx", "listener.mx.role = mx",
                    "listener.mx.address = 127.0.0.1:" + taken.getLocalPort(), "local_domains = example.test",
                    "route.example.test = [127.0.0.1]:10026"));
            Run run = sealpost("config", "check", "--config", config.toString());
            assertEquals(config + ": warning: listener mx: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use; stop what uses it or change listener.mx.address\n"
                    + config + ": 0 errors, 1 warning\n", run.out());
            assertEquals(1, run.status());
        }
    }

    @Test
    void check_twoListenersOnOneAddress_warnsForTheSecond() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        Path config = dir.resolve("sealpost.conf");
        Files.write(config, List.of("queue_directory = " + dir, "listeners = a, b",
                "listener.a.role = submission", "listener.a.address = 127.0.0.1:" + port,
                "listener.b.role = submission", "listener.b.address = 127.0.0.1:" + port));
        Run run = sealpost("config", "check", "--config", config.toString());
        assertTrue(run.out().startsWith(config + ": warning: listener b: cannot listen on 127.0.0.1:" + port
                + ": address already in use"), run.out());
        assertEquals(1, run.status());
    }

    @Test
    void check_unreadableKeyFile_namesThePathAndThePermission() throws Exception {
        Path key = dir.resolve("key.pem");
        Files.copy(badConfigs().resolve("key-a.pem"), key);
        Files.setPosixFilePermissions(key, java.util.Set.of());
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(key), "root reads every file: nothing to check");
        Path config = dir.resolve("sealpost.conf");
        Files.write(config, List.of("queue_directory = " + dir, "listeners = s", "listener.s.role = submission",
                "listener.s.address = 127.0.0.1:0", "tls_cert_file = " + badConfigs().resolve("cert-a.pem"),
                "tls_key_file = " + key));
        Run run = sealpost("config", "check", "--config", config.toString());
        assertEquals(config + ": warning: tls_key_file " + key + ": permission denied; the user Sealpost runs as must be "
                + "able to read it (docs/operations.md)\n" + config + ": 0 errors, 1 warning\n", run.out());
        assertEquals(1, run.status());
    }

    @Test
    void check_errorsAndWarnings_errorsFirst_status2() throws Exception {
        Path config = dir.resolve("sealpost.conf");
        Files.write(config, List.of("queue_directory = " + dir.resolve("absent"), "listeners = s",
                "listener.s.role = submission", "listener.s.address = 127.0.0.1:0", "queue_lifetime = forever"));
        Run run = sealpost("config", "check", "--config", config.toString());
        assertEquals(List.of(
                config + ":5: queue_lifetime: expected a duration such as 30s, 5m, 1h or 5d, got 'forever'",
                config + ": warning: queue_directory " + dir.resolve("absent") + ": no such folder; create it as a folder of "
                        + "the user Sealpost runs as (install -d -o sealpost -m 0700 " + dir.resolve("absent")
                        + "; docs/operations.md)",
                config + ": 1 error, 1 warning"), run.out().lines().toList());
        assertEquals(2, run.status());
    }

    @Test
    void check_missingFile_isAnError() {
        Path config = dir.resolve("absent.conf");
        Run run = sealpost("config", "check", "--config", config.toString());
        assertEquals(2, run.status());
        assertTrue(run.out().startsWith(config + ": cannot read the configuration file"), run.out());
    }

    @Test
    void show_printsTheKeysSetInTheFile_sorted_relativePathsFromTheFilesFolder() throws Exception {
        Path config = dir.resolve("sealpost.conf");
        Files.write(config, List.of("# the relay", "queue_directory = spool", "listeners = mx", "listener.mx.role = mx",
                "listener.mx.address = 0.0.0.0:25", "route.example.net = [127.0.0.1]:10026", "local_domains = example.net",
                "queue_lifetime = 2d"));
        Run run = sealpost("config", "show", "--config", config.toString());
        assertEquals(String.join("\n", "listener.mx.address = 0.0.0.0:25", "listener.mx.role = mx", "listeners = mx",
                "local_domains = example.net", "queue_directory = " + dir.resolve("spool"), "queue_lifetime = 2d",
                "route.example.net = [127.0.0.1]:10026") + "\n", run.out());
        assertEquals(0, run.status());
    }

    @Test
    void show_withErrors_printsThemOnStandardError_andExits2() throws Exception {
        Path config = dir.resolve("sealpost.conf");
        Files.write(config, List.of("listeners = s", "listener.s.role = submission", "listener.s.address = 127.0.0.1:0",
                "queue_lifetme = 5d"));
        Run run = sealpost("config", "show", "--config", config.toString());
        assertEquals(2, run.status());
        assertEquals("sealpost: configuration error: " + config + ":4: queue_lifetme: unknown key; did you mean "
                + "queue_lifetime?\n", run.err());
    }

    @Test
    void showDefaults_printsEveryKeyWithItsDefault_withoutReadingTheFile() {
        Run run = sealpost("config", "show", "--defaults", "--config", dir.resolve("absent.conf").toString());
        assertEquals(0, run.status(), run.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.containsAll(List.of("queue_lifetime = 5d", "queue_min_backoff = 5m", "queue_max_backoff = 4000s",
                "message_size_limit = 52428800", "tls_default_level = dane", "relayhost =", "dnssec = validate",
                "trusted_networks = 127.0.0.0/8, ::1/128", "dkim_verify = yes", "queue_directory = /var/spool/sealpost")),
                run.out());
        assertEquals(lines.stream().sorted().toList(), lines);
        assertTrue(lines.stream().noneMatch(line -> line.startsWith("listener.") || line.startsWith("route.")), run.out());
    }
}
