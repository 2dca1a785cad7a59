package org.sealpost.interop.support;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One `sealpost ...` command as a separate process, with the test's classpath (as SealpostProcess runs the relay). */
public final class SealpostCli {

    private SealpostCli() {
    }

    public static ShortProcess.Result run(Path dir, byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "org.sealpost.transport.cli.Main"));
        command.addAll(List.of(args));
        return ShortProcess.run(command, Map.of(), stdin, dir, Duration.ofSeconds(120));
    }
}
