package org.sealpost.interop.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** A program started by a test, its output in a file, stopped by PID. */
public final class RunningProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final String name;

    private RunningProcess(Process process, Path log, String name) {
        this.process = process;
        this.log = log;
        this.name = name;
    }

    public static RunningProcess start(List<String> command, Path log) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new RunningProcess(process, log, command.get(0));
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Waits until the output has a line matching {@code regex} (anywhere in the line). */
    public String awaitLine(String regex, Duration timeout) throws IOException, InterruptedException {
        return awaitLine(log, regex, timeout);
    }

    /** The same in another file the program writes (its own log file, say). */
    public String awaitLine(Path file, String regex, Duration timeout) throws IOException, InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            for (String line : text.split("\n")) {
                if (pattern.matcher(line).find()) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before logging /" + regex
                        + "/; its output:\n" + output());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no line matching /" + regex + "/ within " + timeout + " in " + file + ":\n"
                + (Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(no such file)"));
    }

    /** Sends a signal by name (HUP, TERM, ...) with kill(1). */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the program to end; its exit status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still runs after " + timeout);
        }
        return process.exitValue();
    }

    /** SIGKILL: no chance to clean up, as in a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then SIGKILL if it has not gone within ten seconds. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
