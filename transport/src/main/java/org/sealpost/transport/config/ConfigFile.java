package org.sealpost.transport.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lines of a configuration file: {@code key = value}, comments from {@code #}, blank lines.
 * A key given twice is an error rather than a silent override, so a typo cannot hide a setting.
 */
final class ConfigFile {

    /** One setting and the line it came from, for error messages. */
    record Entry(String key, String value, int line) {
    }

    private final Path path;
    private final Map<String, Entry> entries;

    private ConfigFile(Path path, Map<String, Entry> entries) {
        this.path = path;
        this.entries = entries;
    }

    static ConfigFile read(Path path) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read the configuration file: " + e.getMessage());
        }
        return parse(path, lines);
    }

    static ConfigFile parse(Path path, List<String> lines) throws ConfigException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (text.isEmpty()) {
                continue;
            }
            int eq = text.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(path + ":" + (i + 1) + ": expected 'key = value', got '" + text + "'");
            }
            String key = text.substring(0, eq).strip();
            if (!key.matches("[A-Za-z0-9_.*-]+")) {
                throw new ConfigException(path + ":" + (i + 1) + ": '" + key
                        + "' is not a key (letters, digits, '_', '-', '.' and '*' only)");
            }
            Entry previous = entries.put(key, new Entry(key, text.substring(eq + 1).strip(), i + 1));
            if (previous != null) {
                throw new ConfigException(path + ":" + (i + 1) + ": key '" + key
                        + "' is already set on line " + previous.line() + "; set each key once");
            }
        }
        return new ConfigFile(path, entries);
    }

    Path path() {
        return path;
    }

    Map<String, Entry> entries() {
        return entries;
    }
}
