package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.ShortProcess;

/**
 * packaging/install.sh (DESTDIR) -> /usr/bin/sealpost jvm-cache (trains: submission relay -> STARTTLS -> mx relay, one JVM)
 * -> starts with the cache, with a cache older than the jar, with a damaged cache
 * <p>
 * The installed launcher writes a JVM cache for the java that runs it, starts with it (so that
 * -Xshare:on, which fails without a usable archive, succeeds), and never fails to start when the
 * cache does not match: an older cache is left out with one line, a damaged one is the JVM's
 * warning and no more.
 */
class JvmCacheLauncherTest {

    private static final Duration RUN = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    @Test
    void jvmCache_isWrittenAndUsed_andAStaleOrDamagedCacheNeverStopsAStart() throws Exception {
        Path checkout = Path.of("").toAbsolutePath().getParent();
        Path root = dir.resolve("root");
        ShortProcess.Result installed = ShortProcess.run(List.of("sh", checkout.resolve("packaging/install.sh").toString()),
                Map.of("DESTDIR", root.toString()), new byte[0], checkout, RUN);
        assertEquals(0, installed.status(), installed.describe());
        Path home = root.resolve("usr/share/sealpost");
        Path cacheDir = dir.resolve("cache");
        Map<String, String> env = new HashMap<>(Map.of("SEALPOST_HOME", home.toString(),
                "SEALPOST_JVM_CACHE_DIR", cacheDir.toString(),
                "JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        List<String> sealpost = List.of("sh", root.resolve("usr/bin/sealpost").toString());

        ShortProcess.Result made = run(sealpost, env, "jvm-cache", "--messages", "50", "--sessions", "4");
        assertEquals(0, made.status(), made.describe() + log(cacheDir));
        Path cache;
        try (Stream<Path> files = Files.list(cacheDir)) {
            cache = files.filter(f -> f.getFileName().toString().matches("sealpost-java-.*\\.(jsa|aot)")).findFirst()
                    .orElseThrow(() -> new AssertionError("no cache in " + cacheDir + ": " + made.describe()));
        }
        assertTrue(made.out().contains("wrote " + cache), made.describe());

        // -Xshare:on (JDK 17's archive) or -XX:AOTMode=on (JDK 25's cache): the start fails unless the cache maps.
        Map<String, String> strict = new HashMap<>(env);
        strict.put("SEALPOST_JAVA_OPTS", cache.toString().endsWith(".aot") ? "-XX:AOTMode=on" : "-Xshare:on");
        ShortProcess.Result used = run(sealpost, strict, "--version");
        assertEquals(0, used.status(), used.describe());
        assertEquals("", used.stderr().strip(), used.describe());

        // A jar newer than the cache: one line, and the relay's command runs.
        Files.setLastModifiedTime(cache, FileTime.from(Instant.now().minusSeconds(3600)));
        ShortProcess.Result older = run(sealpost, env, "--version");
        assertEquals(0, older.status(), older.describe());
        assertEquals(List.of("sealpost: the JVM cache " + cache + " is older than " + home.resolve("sealpost.jar")
                + "; starting without it (make a new one: sealpost jvm-cache)"), older.stderr().strip().lines().toList());

        // A damaged cache, newer than the jar: the JVM says so and starts without it.
        Files.write(cache, new byte[4096]);
        ShortProcess.Result damaged = run(sealpost, env, "--version");
        assertEquals(0, damaged.status(), damaged.describe());
        assertTrue(damaged.out().contains("sealpost 0.1.0"), damaged.describe());
    }

    private static ShortProcess.Result run(List<String> launcher, Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(launcher);
        command.addAll(List.of(args));
        return ShortProcess.run(command, env, new byte[0], Path.of("."), RUN);
    }

    private static String log(Path cacheDir) throws Exception {
        Path log = cacheDir.resolve("jvm-cache.log");
        if (!Files.exists(log)) {
            return "";
        }
        List<String> lines = Files.readAllLines(log);
        return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
