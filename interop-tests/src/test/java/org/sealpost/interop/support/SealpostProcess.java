package org.sealpost.interop.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sealpost as a separate process: `sealpost run --config FILE`, with the test's classpath. */
public final class SealpostProcess implements AutoCloseable {

    private final Path config;
    private final Path log;
    private final Path logFile;
    private RunningProcess process;
    private List<String> prefix = List.of();
    private List<String> jvmOptions = List.of();
    private Path launcher;

    /** Runs the process through {@code prefix} (a network namespace); call before start. */
    public SealpostProcess through(List<String> commandPrefix) {
        this.prefix = List.copyOf(commandPrefix);
        return this;
    }

    /**
     * Adds JVM options after the default ones (a later -Xmx wins over the default -Xmx512m), e.g.
     * {@code -Xmx96m} to show that content streams through a small heap; call before start.
     */
    public SealpostProcess withJvmOptions(String... options) {
        this.jvmOptions = List.of(options);
        return this;
    }

    /**
     * Runs the relay as a user does: through the source tree's {@code ./sealpost} in {@code checkout}
     * (transport/target/sealpost.jar with packaging/jvm.options, no JVM cache), the JVM options of
     * {@link #withJvmOptions} as SEALPOST_JAVA_OPTS; call before start.
     */
    public SealpostProcess throughLauncher(Path checkout) {
        this.launcher = checkout.resolve("sealpost");
        return this;
    }

    /**
     * The settings of a relay named {@code hostname} with its queue in {@code queue} and one
     * submission listener on 127.0.0.1:{@code port}; the map is the test's to add routes and
     * policies to.
     */
    public static Map<String, String> submissionRelay(String hostname, Path queue, int port) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("hostname", hostname);
        settings.put("queue_directory", queue.toString());
        settings.put("listeners", "submission");
        settings.put("listener.submission.role", "submission");
        settings.put("listener.submission.address", "127.0.0.1:" + port);
        return settings;
    }

    /** A relay with one mx listener on {@code address} (host:port), receiving for {@code localDomains}. */
    public static Map<String, String> mxRelay(String hostname, Path queue, String address, String localDomains) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("hostname", hostname);
        settings.put("queue_directory", queue.toString());
        settings.put("listeners", "mx");
        settings.put("listener.mx.role", "mx");
        settings.put("listener.mx.address", address);
        settings.put("local_domains", localDomains);
        return settings;
    }

    /**
     * DNSSEC as the lab serves it: Sealpost validates from the lab's {@code trustAnchors} (in place of
     * the root's) the answers of the lab's unbound at {@code resolver} (host:port).
     */
    public static Map<String, String> labDnssec(Path trustAnchors, String resolver) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("dnssec", "validate");
        settings.put("dnssec_trust_anchor_file", trustAnchors.toString());
        settings.put("dnssec_trust_anchor_replace_root", "yes");
        settings.put("dns_resolvers", resolver);
        return settings;
    }

    /** Writes the configuration file; {@link #start()} runs it. */
    public SealpostProcess(Path dir, Map<String, String> settings) throws IOException {
        Files.createDirectories(dir);
        this.config = dir.resolve("sealpost.conf");
        this.log = dir.resolve("sealpost.log");
        this.logFile = settings.containsKey("log_file") ? Path.of(settings.get("log_file")) : log;
        List<String> lines = new ArrayList<>();
        new LinkedHashMap<>(settings).forEach((key, value) -> lines.add(key + " = " + value));
        Files.write(config, lines);
    }

    public SealpostProcess start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        // The run's TLS engine and crypto providers reach the relay too: the second surefire run sets
        // -Dsealpost.tls=jdk, so that its tests speak TLS with the JDK's engine on both sides.
        List<String> properties = new ArrayList<>();
        for (String property : List.of("sealpost.tls", "sealpost.crypto")) {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                properties.add("-D" + property + "=" + value);
            }
        }
        if (launcher != null) {
            List<String> options = new ArrayList<>(properties);
            options.addAll(jvmOptions);
            command.addAll(List.of("env", "SEALPOST_JVM_CACHE=off", "SEALPOST_JAVA_OPTS=" + String.join(" ", options),
                    "JAVA=" + Path.of(System.getProperty("java.home"), "bin", "java"), "sh", launcher.toString()));
        } else {
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m"));
            command.addAll(properties);
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.sealpost.transport.cli.Main"));
        }
        command.addAll(List.of("run", "--config", config.toString()));
        process = RunningProcess.start(command, log);
        process.awaitLine(logFile, "sealpost started", Duration.ofSeconds(30));
        return this;
    }

    /** The process id (the one a queue lock names). */
    public long pid() {
        return process.pid();
    }

    public String output() throws IOException {
        return process.output();
    }

    public String awaitLine(String regex, Duration timeout) throws IOException, InterruptedException {
        return process.awaitLine(regex, timeout);
    }

    public long count(String regex) throws IOException {
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
        return output().lines().filter(line -> pattern.matcher(line).find()).count();
    }

    /**
     * Waits until at least {@code expected} lines match (a log line can follow the delivery it reports
     * by a moment), then returns how many match.
     */
    public long awaitCount(String regex, long expected, Duration timeout) throws IOException, InterruptedException {
        java.time.Instant deadline = java.time.Instant.now().plus(timeout);
        long count = count(regex);
        while (count < expected && java.time.Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            count = count(regex);
        }
        return count;
    }

    /** The configuration file, for a test that changes it and sends SIGHUP. */
    public Path config() {
        return config;
    }

    /** The running process, for its PID, signals and exit status. */
    public RunningProcess process() {
        return process;
    }

    public void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }
}
