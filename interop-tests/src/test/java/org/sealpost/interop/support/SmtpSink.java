package org.sealpost.interop.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Postfix's smtp-sink, keeping every message it receives as a file. */
public final class SmtpSink implements AutoCloseable {

    private final Path dumps;
    private final RunningProcess process;
    public final String host;
    public final int port;

    public SmtpSink(Path dir, String host) throws IOException, InterruptedException {
        this(dir, host, Loopback.freePort(host));
    }

    /** A sink on a port chosen beforehand, e.g. one a relay was already sending to. */
    public SmtpSink(Path dir, String host, int port) throws IOException, InterruptedException {
        Peers.require("postfix", "/usr/sbin/smtp-sink");
        this.host = host;
        this.port = port;
        this.dumps = dir.resolve("sink");
        Files.createDirectories(dumps);
        // smtp-sink drops root privileges to nobody, who must be able to reach and write the dumps
        // (JUnit makes its temporary folders private to their owner).
        Folders.openToDaemons(dir);
        Files.setPosixFilePermissions(dumps, PosixFilePermissions.fromString("rwxrwxrwx"));
        this.process = RunningProcess.start(List.of("/usr/sbin/smtp-sink", "-u", "nobody", "-d", dumps + "/msg.",
                host + ":" + port, "256"), dir.resolve("smtp-sink.log"));
        Loopback.awaitListening(host, port, Duration.ofSeconds(10));
    }

    /** The messages received so far, each with its envelope lines as smtp-sink writes them. */
    public List<String> messages() throws IOException {
        List<String> messages = new ArrayList<>();
        try (Stream<Path> files = Files.list(dumps)) {
            for (Path file : files.toList()) {
                messages.add(Files.readString(file, StandardCharsets.ISO_8859_1));
            }
        }
        return messages;
    }

    /**
     * Waits until a message containing {@code token} has arrived; returns it. smtp-sink writes the
     * dump while the data arrives, so a token near the top is seen before a large message is all
     * there: the message is returned once its file has stopped growing for 300 ms.
     */
    public String awaitMessage(String token, Duration timeout) throws IOException, InterruptedException {
        java.time.Instant deadline = java.time.Instant.now().plus(timeout);
        String seen = null;
        while (java.time.Instant.now().isBefore(deadline)) {
            String found = null;
            for (String message : messages()) {
                if (message.contains(token)) {
                    found = message;
                }
            }
            if (found != null && found.equals(seen)) {
                return found;
            }
            seen = found;
            Thread.sleep(found == null ? 100 : 300);
        }
        throw new AssertionError("no message with " + token + " reached smtp-sink within " + timeout);
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
