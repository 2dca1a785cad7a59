package org.sealpost.interop.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Postfix under a test folder (`postfix -c DIR`): its own queue and log, its smtpd on
 * one loopback address; the system's /etc/postfix is never touched. Logging goes through
 * postlogd to a file, as there is no syslog daemon.
 */
public final class PostfixInstance implements AutoCloseable {

    private final Path dir;
    private final Path etc;
    public final String host;
    public final int port;
    private boolean started;
    private List<String> prefix = List.of();

    /** Runs this instance's programs through {@code prefix} (a network namespace); call before start. */
    public PostfixInstance through(List<String> commandPrefix) {
        this.prefix = List.copyOf(commandPrefix);
        return this;
    }

    /**
     * @param settings main.cf lines added to the base configuration, e.g. relayhost
     */
    public PostfixInstance(Path dir, String name, String host, Map<String, String> settings) throws Exception {
        this(dir, name, host, settings, Loopback.freePort(host));
    }

    /** The same on a given port (when DNS records must name the port before Postfix starts). */
    public PostfixInstance(Path dir, String name, String host, Map<String, String> settings, int port) throws Exception {
        Peers.requireRoot();
        Peers.require("postfix", "/usr/sbin/postfix");
        this.dir = dir.toAbsolutePath();
        this.etc = this.dir.resolve("etc");
        this.host = host;
        this.port = port;
        Files.createDirectories(etc);
        // Postfix's daemons run as the postfix user and must reach data_directory: JUnit makes its
        // temporary folders private to their owner.
        Folders.openToDaemons(this.dir);
        Folders.openToDaemons(this.dir.getParent());
        Files.createDirectories(this.dir.resolve("log"));
        Files.createDirectories(this.dir.resolve("queue"));
        List<String> main = new ArrayList<>(List.of(
                "compatibility_level = 3.6",
                "queue_directory = " + this.dir.resolve("queue"),
                "data_directory = " + this.dir.resolve("data"),
                "mail_owner = postfix",
                "setgid_group = postdrop",
                "myhostname = " + name,
                "mydomain = interop.invalid",
                "myorigin = $myhostname",
                "mydestination =",
                "local_recipient_maps =",
                "alias_maps =",
                "alias_database =",
                // inet_interfaces must name a configured address: only 127.0.0.1/8 is on lo. The
                // smtpd itself listens on host:port through master.cf.
                "inet_interfaces = 127.0.0.1",
                "inet_protocols = ipv4",
                "mynetworks = 127.0.0.0/8",
                "smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination",
                "biff = no",
                "maillog_file = " + this.dir.resolve("log/maillog"),
                "maillog_file_prefixes = " + this.dir));
        settings.forEach((key, value) -> main.add(key + " = " + value));
        Files.write(etc.resolve("main.cf"), main);
        Files.write(etc.resolve("master.cf"), List.of(
                host + ":" + port + " inet n - n - - smtpd",
                "pickup unix n - n 60 1 pickup",
                "cleanup unix n - n - 0 cleanup",
                "qmgr unix n - n 300 1 qmgr",
                "tlsmgr unix - - n 1000? 1 tlsmgr",
                "rewrite unix - - n - - trivial-rewrite",
                "bounce unix - - n - 0 bounce",
                "defer unix - - n - 0 bounce",
                "trace unix - - n - 0 bounce",
                "verify unix - - n - 1 verify",
                "flush unix n - n 1000? 0 flush",
                "showq unix n - n - - showq",
                "error unix - - n - - error",
                "retry unix - - n - - error",
                "discard unix - - n - - discard",
                "anvil unix - - n - 1 anvil",
                "scache unix - - n - 1 scache",
                "smtp unix - - n - - smtp",
                "virtual unix - n n - - virtual",
                "relay unix - - n - - smtp",
                "postlog unix-dgram n - n - 1 postlogd"));
    }

    /**
     * Adds "-o NAME=VALUE" lines to the smtpd's entry in master.cf, as docs/postfix.md writes the
     * smtpd that takes mail from Sealpost; call before start.
     */
    public PostfixInstance smtpdOptions(Map<String, String> options) throws IOException {
        List<String> master = new ArrayList<>(Files.readAllLines(etc.resolve("master.cf")));
        List<String> lines = new ArrayList<>();
        options.forEach((key, value) -> lines.add("  -o " + key + "=" + value));
        master.addAll(1, lines);
        Files.write(etc.resolve("master.cf"), master);
        return this;
    }

    /**
     * main.cf settings that deliver every recipient of each domain into one maildir under
     * {@code base} (Postfix's virtual(8) agent, as user nobody): {@code base/FOLDER/new/}. The
     * size limits are raised to {@code sizeLimit} octets for large test messages.
     */
    public static Map<String, String> maildirs(Path base, Map<String, String> folderByDomain, long sizeLimit)
            throws IOException {
        Files.createDirectories(base);
        // virtual(8) runs as nobody and creates the maildirs itself.
        Files.setPosixFilePermissions(base, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Folders.openToDaemons(base.getParent());
        List<String> entries = new ArrayList<>();
        folderByDomain.forEach((domain, folder) -> entries.add("{@" + domain + "=" + folder + "/}"));
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("virtual_mailbox_domains", String.join(" ", folderByDomain.keySet()));
        settings.put("virtual_mailbox_base", base.toAbsolutePath().toString());
        settings.put("virtual_mailbox_maps", "inline:{" + String.join(", ", entries) + "}");
        settings.put("virtual_uid_maps", "static:65534");
        settings.put("virtual_gid_maps", "static:65534");
        settings.put("virtual_minimum_uid", "100");
        settings.put("virtual_mailbox_limit", "0");
        settings.put("message_size_limit", Long.toString(sizeLimit));
        return settings;
    }

    /**
     * main.cf settings of a destination MX: smtpd offers STARTTLS (security level may) with
     * {@code certFile} and {@code keyFile}, logs each TLS session (loglevel 1, for the tests that
     * count them), and relays {@code relayDomains} to smtp-sink on 127.0.0.1:{@code sinkPort}. The
     * map is the test's to add to.
     */
    public static Map<String, String> starttlsRelay(String relayDomains, int sinkPort, Path certFile, Path keyFile) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("relayhost", "[127.0.0.1]:" + sinkPort);
        settings.put("relay_domains", relayDomains);
        settings.put("smtpd_tls_security_level", "may");
        settings.put("smtpd_tls_cert_file", certFile.toString());
        settings.put("smtpd_tls_key_file", keyFile.toString());
        settings.put("smtpd_tls_loglevel", "1");
        return settings;
    }

    /** The messages delivered so far into {@code base/folder} (see {@link #maildirs}), with LF line ends as stored. */
    public static List<Path> maildir(Path base, String folder) throws IOException {
        Path dir = base.resolve(folder).resolve("new");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Waits until {@code base/folder} holds at least {@code count} messages; returns what it holds then. */
    public static List<Path> awaitMaildir(Path base, String folder, int count, Duration timeout)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        List<Path> found = maildir(base, folder);
        while (found.size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            found = maildir(base, folder);
        }
        return found;
    }

    /** The configuration folder, for Postfix tools run against this instance (MAIL_CONFIG). */
    public Path etc() {
        return etc;
    }

    private List<String> prefixed(String... command) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(command));
        return all;
    }

    public Path dir() {
        return dir;
    }

    public PostfixInstance start() throws Exception {
        run(prefixed("/usr/sbin/postfix", "-c", etc.toString(), "check"));
        try {
            run(prefixed("/usr/sbin/postfix", "-c", etc.toString(), "start"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nPostfix's log:\n" + log(), e);
        }
        started = true;
        if (prefix.isEmpty()) {
            Loopback.awaitListening(host, port, Duration.ofSeconds(20));
        } else {
            awaitLog("daemon started", Duration.ofSeconds(20)); // the master has bound the smtpd port by then
        }
        return this;
    }

    /** Hands a message to Postfix's own sendmail, as a local program would. */
    public void sendmail(String from, String to, String message) throws Exception {
        Process process = new ProcessBuilder(prefixed("/usr/sbin/sendmail", "-C", etc.toString(), "-f", from, to))
                .redirectErrorStream(true).start();
        process.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("sendmail failed: " + output);
        }
    }

    public String log() throws IOException {
        Path log = dir.resolve("log/maillog");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Waits until the log has a line matching {@code regex}; returns it. */
    public String awaitLog(String regex, Duration timeout) throws Exception {
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (String line : log().split("\n")) {
                if (pattern.matcher(line).find()) {
                    return line;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Postfix logged no line matching /" + regex + "/ within " + timeout + ":\n" + log());
    }

    public boolean queueEmpty() throws IOException {
        for (String folder : List.of("incoming", "active", "deferred", "hold", "maildrop")) {
            Path path = dir.resolve("queue").resolve(folder);
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.walk(path)) {
                    if (files.anyMatch(Files::isRegularFile)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (exit " + (process.isAlive() ? "none: timed out" : process.exitValue()) + "):\n" + output);
        }
    }

    @Override
    public void close() throws Exception {
        if (started) {
            run(prefixed("/usr/sbin/postfix", "-c", etc.toString(), "stop"));
            Path pidFile = dir.resolve("queue/pid/master.pid");
            Instant deadline = Instant.now().plusSeconds(10);
            while (Files.exists(pidFile) && Instant.now().isBefore(deadline)) {
                String pid = Files.readString(pidFile).trim();
                if (pid.isEmpty() || ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false) == false) {
                    break;
                }
                Thread.sleep(100);
            }
        }
    }
}
