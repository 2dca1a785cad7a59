package org.sealpost.interop.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A program run to completion by a test: standard input given, exit status and both outputs kept. */
public final class ShortProcess {

    /** How a run ended. */
    public record Result(List<String> command, int status, byte[] stdout, String stderr) {

        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** The command, its status and outputs, for assertion messages. */
        public String describe() {
            // The classpath of a java command is long and says nothing about the failure.
            String shown = String.join(" ", command.stream().map(a -> a.length() > 200 ? "..." : a).toList());
            return shown + "\nexit status " + status + "\n--- stdout\n" + out() + "--- stderr\n"
                    + stderr;
        }
    }

    private ShortProcess() {
    }

    /**
     * Runs {@code command} in {@code dir} with {@code environment} added to the test's own, feeding
     * {@code stdin}; the process is killed if it has not ended within {@code timeout}.
     */
    public static Result run(List<String> command, Map<String, String> environment, byte[] stdin, Path dir,
            Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // The program may end without reading all of its input; its status tells what happened.
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", command) + " did not end within " + timeout);
        }
        return new Result(List.copyOf(command), process.exitValue(), out.join(),
                new String(err.join(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(java.io.InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
