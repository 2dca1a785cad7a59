package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.Peers;
import org.sealpost.interop.support.RunningProcess;
import org.sealpost.interop.support.ShortProcess;
import org.sealpost.interop.support.SmtpClient;

/**
 * packaging/install.sh (into a DESTDIR) -> systemd-analyze verify and security on the installed unit;
 * systemd-sysusers and systemd-tmpfiles on that root; then the unit's ExecStart run the way systemd
 * runs it (an unprivileged user holding only CAP_NET_BIND_SERVICE, umask 0077): it binds a port
 * below 1024, ExecReload's SIGHUP reloads it, SIGTERM stops it with status 0, and a wrong
 * configuration exits with the unit's RestartPreventExitStatus. The paths of the DESTDIR stand in
 * for /usr/bin and /usr/share; nothing is installed into this machine.
 */
class SystemdUnitTest {

    private static final int NOBODY = 65534;
    private static final Duration RUN = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Path root;
    private Path unit;
    private String text;

    @BeforeEach
    void install() throws Exception {
        Peers.require("systemd", "/usr/bin/systemd-analyze");
        Peers.require("util-linux", "/usr/bin/setpriv");
        Peers.requireRoot();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // nobody reads the install
        root = dir.resolve("root");
        Path checkout = Path.of("").toAbsolutePath().getParent();
        ShortProcess.Result installed = ShortProcess.run(List.of("sh", checkout.resolve("packaging/install.sh").toString()),
                Map.of("DESTDIR", root.toString()), new byte[0], checkout, RUN);
        assertEquals(0, installed.status(), installed.describe());
        unit = root.resolve("lib/systemd/system/sealpost.service");
        text = Files.readString(unit, StandardCharsets.UTF_8);
    }

    @Test
    void theInstalledUnit_passesSystemdAnalyzeVerify_andItsExposureIsLow() throws Exception {
        // verify checks that ExecStart's program exists: point it at the DESTDIR's command.
        Path checked = dir.resolve("sealpost.service");
        Files.writeString(checked, text.replace("/usr/bin/sealpost", root.resolve("usr/bin/sealpost").toString()));
        ShortProcess.Result verify = ShortProcess.run(List.of("systemd-analyze", "verify", checked.toString()), Map.of(),
                new byte[0], dir, RUN);
        assertEquals(0, verify.status(), verify.describe());
        // verify exits 0 on an unknown key or a misspelt setting, and only says so on standard error.
        assertEquals("", verify.out() + verify.stderr(), verify.describe());

        ShortProcess.Result security = ShortProcess.run(List.of("systemd-analyze", "security", "--offline=yes",
                checked.toString()), Map.of(), new byte[0], dir, RUN);
        Matcher exposure = Pattern.compile("Overall exposure level for sealpost.service: (\\d+\\.\\d+)")
                .matcher(security.out());
        assertTrue(exposure.find(), security.describe());
        // systemd rates 0-2 "OK" (documented in docs/operations.md); what is left are the network itself,
        // the one capability, and the JIT's writable code.
        assertTrue(Double.parseDouble(exposure.group(1)) <= 2.0, security.describe());

        assertTrue(text.contains("\nUser=sealpost\n"), "a dedicated user");
        assertTrue(text.contains("\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n"), "port 25 without root");
        assertTrue(text.contains("\nExecReload=/bin/kill -HUP $MAINPID\n"), "reload by SIGHUP");
    }

    @Test
    void sysusersAndTmpfiles_makeTheUserAndPrivateFolders() throws Exception {
        for (String file : List.of("etc/passwd", "etc/group", "etc/shadow", "etc/gshadow")) {
            Files.createDirectories(root.resolve(file).getParent());
            Files.createFile(root.resolve(file));
        }
        ShortProcess.Result users = ShortProcess.run(List.of("systemd-sysusers", "--root=" + root), Map.of(), new byte[0],
                dir, RUN);
        assertEquals(0, users.status(), users.describe());
        String passwd = Files.readString(root.resolve("etc/passwd"));
        Matcher user = Pattern.compile("(?m)^sealpost:x:(\\d+):\\d+:[^:]*:/var/spool/sealpost:/usr/sbin/nologin$")
                .matcher(passwd);
        assertTrue(user.find(), passwd);
        ShortProcess.Result folders = ShortProcess.run(List.of("systemd-tmpfiles", "--root=" + root, "--create"), Map.of(),
                new byte[0], dir, RUN);
        assertEquals(0, folders.status(), folders.describe());
        Path spool = root.resolve("var/spool/sealpost");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(spool)));
        assertEquals(Integer.parseInt(user.group(1)), (int) Files.getAttribute(spool, "unix:uid"));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etc/sealpost"))));
        assertEquals(0, (int) Files.getAttribute(root.resolve("etc/sealpost"), "unix:uid"), "the configuration is root's");
    }

    @Test
    void execStart_asAnUnprivilegedUserWithTheCapability_bindsALowPort_reloadsOnHup_andStopsWithStatus0()
            throws Exception {
        int port = lowPort();
        Path config = configuration(port);
        Path log = dir.resolve("relay.log");
        try (RunningProcess relay = RunningProcess.start(asTheUnitRunsIt(config, true), log)) {
            relay.awaitLine("sealpost started", RUN);
            try (SmtpClient client = new SmtpClient("127.0.0.1", port)) {
                String reply = client.send("alice@src.test", "bob@dest.test", "Subject: unit\r\n\r\nqueued\r\n");
                assertTrue(reply.startsWith("250"), reply);
            }
            try (Stream<Path> files = Files.walk(dir.resolve("queue"))) {
                for (Path file : files.toList()) {
                    String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
                    assertEquals(Files.isDirectory(file) ? "rwx------" : "rw-------", mode, file + " under UMask=0077");
                    assertEquals(NOBODY, (int) Files.getAttribute(file, "unix:uid"), file + " is the service user's");
                }
            }
            ShortProcess.Result reload = ShortProcess.run(List.of("sh", "-c", execReload().replace("$MAINPID",
                    Long.toString(relay.pid()))), Map.of(), new byte[0], dir, RUN);
            assertEquals(0, reload.status(), reload.describe());
            relay.awaitLine("reload: ", RUN);
            assertTrue(relay.isAlive(), "ExecReload stopped the relay");
            relay.signal(setting("KillSignal").replace("SIG", ""));
            assertEquals(0, relay.awaitExit(RUN), relay.output());
        }
    }

    @Test
    void withoutTheCapability_theLowPortIsRefusedWithAHint_andAWrongConfigurationIsNotRestarted() throws Exception {
        int port = lowPort();
        Path log = dir.resolve("nocap.log");
        try (RunningProcess relay = RunningProcess.start(asTheUnitRunsIt(configuration(port), false), log)) {
            int status = relay.awaitExit(RUN);
            assertEquals(1, status, "a port that cannot be bound is worth a restart (Restart=on-failure); " + relay.output());
            assertTrue(relay.output().contains("permission denied; a port below 1024 needs root or the capability "
                    + "CAP_NET_BIND_SERVICE"), relay.output());
        }
        Path wrong = dir.resolve("wrong.conf");
        Files.writeString(wrong, Files.readString(configuration(port)) + "queue_lifetime = forever\n");
        Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-r--r--"));
        try (RunningProcess relay = RunningProcess.start(asTheUnitRunsIt(wrong, true), dir.resolve("wrong.log"))) {
            assertEquals(Integer.parseInt(setting("RestartPreventExitStatus")), relay.awaitExit(RUN), relay.output());
        }
    }

    /** ExecStart with the DESTDIR's paths, as User=, AmbientCapabilities= and UMask= ask. */
    private List<String> asTheUnitRunsIt(Path config, boolean capability) {
        String[] execStart = setting("ExecStart").split(" ");
        assertEquals("/usr/bin/sealpost", execStart[0]);
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups"));
        if (capability) {
            String cap = setting("AmbientCapabilities").toLowerCase(java.util.Locale.ROOT).replace("cap_", "");
            command.addAll(List.of("--inh-caps=+" + cap, "--ambient-caps=+" + cap, "--bounding-set=-all,+" + cap));
        }
        String umask = setting("UMask");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        command.addAll(List.of("env", "SEALPOST_HOME=" + root.resolve("usr/share/sealpost"), "JAVA=" + java,
                "sh", "-c", "umask " + umask + " && exec \"$0\" \"$@\"", root.resolve("usr/bin/sealpost").toString()));
        for (int i = 1; i < execStart.length; i++) {
            command.add(execStart[i].equals("/etc/sealpost/sealpost.conf") ? config.toString() : execStart[i]);
        }
        return command;
    }

    private String execReload() {
        return setting("ExecReload");
    }

    private String setting(String key) {
        Matcher m = Pattern.compile("(?m)^" + key + "=(.*)$").matcher(text);
        assertTrue(m.find(), key + " is not in the unit");
        return m.group(1).trim();
    }

    private Path configuration(int port) throws IOException {
        Path queue = dir.resolve("queue");
        if (!Files.exists(queue)) {
            Files.createDirectory(queue, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setAttribute(queue, "unix:uid", NOBODY);
            Files.setAttribute(queue, "unix:gid", NOBODY);
        }
        Path config = dir.resolve("sealpost.conf");
        Files.writeString(config, String.join("\n",
                "hostname = relay.interop.test",
                "queue_directory = " + queue,
                "listeners = submission",
                "listener.submission.role = submission",
                "listener.submission.address = 127.0.0.1:" + port,
                "relayhost = [127.0.0.1]:" + Loopback.freePort("127.0.0.1"), // down: the message stays queued
                ""));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        return config;
    }

    /** A free port below 1024 on loopback, which only root or CAP_NET_BIND_SERVICE may bind. */
    private static int lowPort() throws IOException {
        for (int port = 600 + (int) (ProcessHandle.current().pid() % 300); port < 1024; port++) {
            try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
                socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // the next one
            }
        }
        throw new IOException("no free port between 600 and 1023 on 127.0.0.1");
    }
}
