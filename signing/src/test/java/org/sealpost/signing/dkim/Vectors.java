package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds the shared DKIM test vectors beside the project (../shared/vectors/dkim) and reads them. */
final class Vectors {

    static final Clock NOW = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private Vectors() {
    }

    /** The folder, found by walking up from the working directory; null when absent. */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/vectors/dkim");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The named set, or the test is skipped with a message saying what is missing. */
    static Path set(String name) {
        Path root = root();
        assumeTrue(root != null && Files.isDirectory(root.resolve(name)),
                "DKIM vectors not found: expected shared/vectors/dkim/" + name + " beside the project root");
        return root.resolve(name);
    }

    /** The files of a set, for @MethodSource: empty when the folder is absent (the test then reports none). */
    static List<Path> list(String name, String glob) {
        Path root = root();
        if (root == null || !Files.isDirectory(root.resolve(name))) {
            return List.of();
        }
        try (var stream = Files.newDirectoryStream(root.resolve(name), glob)) {
            List<Path> files = new java.util.ArrayList<>();
            stream.forEach(files::add);
            files.sort(null);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Path file) {
        return new String(read(file), StandardCharsets.ISO_8859_1);
    }

    /** LF line ends to CRLF, as on the wire; existing CRLFs stay. */
    static byte[] crlf(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + raw.length / 20);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(raw[i]);
        }
        return out.toByteArray();
    }

    static byte[] crlf(String text) {
        return crlf(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    static List<DkimResult> verify(DkimVerifier verifier, byte[] message) {
        try {
            return verifier.verify(message).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Mail::DKIM's summary of several signatures: pass if one passes, else fail if one fails, else invalid. */
    static String overall(List<DkimResult> results) {
        if (results.stream().anyMatch(DkimResult::passed)) {
            return "pass";
        }
        return results.stream().anyMatch(r -> r.verdict() == Verdict.FAIL) ? "fail" : "invalid";
    }
}
