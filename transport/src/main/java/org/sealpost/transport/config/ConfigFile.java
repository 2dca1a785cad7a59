package org.sealpost.transport.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lines of a configuration file: {@code key = value}, comments from {@code #}, blank lines.
 * A key given twice is an error rather than a silent override, so a typo cannot hide a setting.
 * A line in error is noted and skipped, so that one pass finds every error of the file.
 */
final class ConfigFile {

    /** One setting and the line it came from, for error messages. */
    record Entry(String key, String value, int line) {
    }

    /** An error of the file, with its line (0 for the file as a whole), so that errors can be listed in file order. */
    record Problem(int line, String text) {
    }

    private final Path path;
    private final Map<String, Entry> entries;
    private final List<Problem> problems;

    private ConfigFile(Path path, Map<String, Entry> entries, List<Problem> problems) {
        this.path = path;
        this.entries = entries;
        this.problems = problems;
    }

    static ConfigFile read(Path path) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
            throw new ConfigException(path + ": cannot read the configuration file: " + why);
        }
        return parse(path, lines);
    }

    static ConfigFile parse(Path path, List<String> lines) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (text.isEmpty()) {
                continue;
            }
            int eq = text.indexOf('=');
            int number = i + 1;
            if (eq <= 0) {
                problems.add(new Problem(number, path + ":" + number + ": expected 'key = value', got '" + text + "'"));
                continue;
            }
            String key = text.substring(0, eq).strip();
            if (!key.matches("[A-Za-z0-9_.*-]+")) {
                problems.add(new Problem(number, path + ":" + number + ": '" + key
                        + "' is not a key (letters, digits, '_', '-', '.' and '*' only)"));
                continue;
            }
            Entry previous = entries.putIfAbsent(key, new Entry(key, text.substring(eq + 1).strip(), number));
            if (previous != null) { // the first one stays in effect, so that what follows is checked against it
                problems.add(new Problem(number, path + ":" + number + ": key '" + key
                        + "' is already set on line " + previous.line() + "; set each key once"));
            }
        }
        return new ConfigFile(path, entries, problems);
    }

    Path path() {
        return path;
    }

    Map<String, Entry> entries() {
        return entries;
    }

    /** The lines that are not settings, and keys given twice. */
    List<Problem> problems() {
        return problems;
    }
}
