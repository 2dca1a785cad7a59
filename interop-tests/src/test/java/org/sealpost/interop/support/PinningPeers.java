package org.sealpost.interop.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.sealpost.dnssec.lab.KnotLab;

/**
 * Two Sealpost instances for the XKEYS tests: a sender (submission listener) that finds
 * mx.pin.good.test by MX in the Knot lab, and a receiver on that host (an MX listener with
 * STARTTLS and XKEYS) that hands the mail to smtp-sink. The receiver can be moved to another
 * address, so that a proxy can take its place on the address the MX record names.
 */
public final class PinningPeers implements AutoCloseable {

    public static final String MX = "mx.pin.good.test";
    public static final String MX_ADDRESS = "127.0.0.2";
    /** Two recipient domains with the same MX host, so that they share its pin. */
    public static final String DOMAIN = "pin.good.test";
    public static final String OTHER_DOMAIN = "pintest.good.test";

    private final Path dir;
    private final KnotLab lab;
    public final SmtpSink sink;
    public final int mxPort;
    public final int submissionPort;
    private SealpostProcess sender;
    private SealpostProcess receiver;
    private int senderRuns;
    private int receiverRuns;

    public PinningPeers(Path dir) throws Exception {
        this.dir = dir;
        this.mxPort = Loopback.freePort(MX_ADDRESS);
        this.submissionPort = Loopback.freePort("127.0.0.1");
        this.lab = KnotLab.start(dir.resolve("lab"), "pin IN MX 10 mx.pin\nmx.pin IN A " + MX_ADDRESS + "\n"
                + "pintest IN MX 10 mx.pin\n");
        this.sink = new SmtpSink(dir, "127.0.0.1");
    }

    /** An empty folder for a key that `sealpost tls next-key` will make, dir/tls/NAME. */
    public Path folder(String name) throws IOException {
        return Files.createDirectories(dir.resolve("tls").resolve(name));
    }

    /** A key and self-signed certificate for the receiver (openssl), in dir/tls/NAME. */
    public Path certificate(String name) throws Exception {
        Path folder = dir.resolve("tls").resolve(name);
        Files.createDirectories(folder);
        Tls.selfSigned(folder, MX);
        return folder;
    }

    /** (Re)starts the receiver on {@code address:port} with the key in {@code tls} and an announced next one. */
    public SealpostProcess startReceiver(String address, int port, Path tls, Path next) throws Exception {
        stopReceiver();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("hostname", MX);
        config.put("queue_directory", dir.resolve("receiver/queue").toString());
        config.put("listeners", "mx");
        config.put("listener.mx.role", "mx");
        config.put("listener.mx.address", address + ":" + port);
        // The sender's domain is in no DNS this test serves: DMARC is reported, never enforced, here.
        config.put("listener.mx.dmarc_policy", "report");
        config.put("tls_cert_file", tls.resolve("cert.pem").toString());
        config.put("tls_key_file", tls.resolve("key.pem").toString());
        if (next != null) {
            // The next key's files may not be there yet: `sealpost tls next-key` writes them.
            config.put("tls_next_cert_file", next.resolve("cert.pem").toString());
            config.put("tls_next_key_file", next.resolve("key.pem").toString());
        }
        config.put("local_domains", DOMAIN + ", " + OTHER_DOMAIN);
        config.put("route." + DOMAIN, "[127.0.0.1]:" + sink.port);
        config.put("route." + OTHER_DOMAIN, "[127.0.0.1]:" + sink.port);
        receiver = new SealpostProcess(dir.resolve("receiver/run" + ++receiverRuns), config).start();
        return receiver;
    }

    public SealpostProcess startReceiver(Path tls, Path next) throws Exception {
        return startReceiver(MX_ADDRESS, mxPort, tls, next);
    }

    public void stopReceiver() throws InterruptedException {
        if (receiver != null) {
            receiver.close();
            receiver = null;
        }
    }

    /** (Re)starts the sender, keeping its queue and pins; {@code extra} adds configuration lines. */
    public SealpostProcess startSender(Map<String, String> extra) throws Exception {
        if (sender != null) {
            sender.close();
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("hostname", "relay.src.test");
        config.put("queue_directory", dir.resolve("sender/queue").toString());
        config.put("listeners", "submission");
        config.put("listener.submission.role", "submission");
        config.put("listener.submission.address", "127.0.0.1:" + submissionPort);
        config.put("dnssec", "off");
        config.put("dns_resolvers", "127.0.0.1:" + lab.address.getPort());
        // The MX lookup is real; only the port differs from 25.
        config.put("route." + DOMAIN, DOMAIN + ":" + mxPort);
        config.put("route." + OTHER_DOMAIN, OTHER_DOMAIN + ":" + mxPort);
        // A connection per message, so that every delivery meets EHLO and the pin check again.
        config.put("messages_per_connection", "1");
        config.put("queue_min_backoff", "300s");
        config.putAll(extra);
        sender = new SealpostProcess(dir.resolve("sender/run" + ++senderRuns), config).start();
        return sender;
    }

    public SealpostProcess sender() {
        return sender;
    }

    public SealpostProcess receiver() {
        return receiver;
    }

    /** Submits a message to the sender; returns its final reply (250 once queued). */
    public String submit(String to, String token) throws IOException {
        try (SmtpClient client = new SmtpClient("127.0.0.1", submissionPort)) {
            return client.send("alice@src.test", to, "From: alice@src.test\r\nTo: " + to + "\r\nSubject: " + token
                    + "\r\n\r\n" + token + "\r\n");
        }
    }

    /** `sealpost pins ARGS --config` against the sender's store; the output and exit status. */
    public CommandResult pins(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("pins"));
        command.addAll(List.of(args));
        return sealpost(command, dir.resolve("sender/run" + senderRuns + "/sealpost.conf"));
    }

    /** `sealpost ARGS --config` with the receiver's configuration (e.g. tls next-key). */
    public CommandResult onReceiver(String... args) throws Exception {
        return sealpost(List.of(args), dir.resolve("receiver/run" + receiverRuns + "/sealpost.conf"));
    }

    private static CommandResult sealpost(List<String> args, Path config) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.sealpost.transport.cli.Main"));
        command.addAll(args);
        command.addAll(List.of("--config", config.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("sealpost " + String.join(" ", args) + " did not finish");
        }
        return new CommandResult(process.exitValue(), output);
    }

    public record CommandResult(int status, String output) {
    }

    /** Waits until smtp-sink holds a message with {@code token}; then a moment for any stragglers. */
    public String awaitDelivered(String token) throws IOException, InterruptedException {
        return sink.awaitMessage(token, Duration.ofSeconds(30));
    }

    public boolean delivered(String token) throws IOException {
        return sink.messages().stream().anyMatch(message -> message.contains(token));
    }

    @Override
    public void close() throws Exception {
        if (sender != null) {
            sender.close();
        }
        stopReceiver();
        sink.close();
        lab.close();
    }
}
