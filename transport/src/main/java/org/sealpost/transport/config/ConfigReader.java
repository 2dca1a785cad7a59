package org.sealpost.transport.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Typed reads of a {@link ConfigFile}, each with its default. Every read marks its key as known,
 * so that what is left at the end is a misspelt or unknown key and can be reported, and notes the
 * default as the file would write it, for {@code sealpost config show --defaults}: a new key is one
 * read here and nothing else. A value in error is noted and its default returned, so that one pass
 * finds every error; {@link #errors} lists them at the end.
 */
final class ConfigReader {

    private final ConfigFile file;
    private final Set<String> known = new HashSet<>();
    private final Map<String, String> defaults = new TreeMap<>();
    private final Map<String, String> effective = new TreeMap<>();
    private final List<ConfigFile.Problem> problems;

    ConfigReader(ConfigFile file) {
        this.file = file;
        this.problems = new ArrayList<>(file.problems());
    }

    /** Marks a key as known and notes its default, written as in the file ("" for none); the first read says it. */
    private void declare(String key, String fallback) {
        known.add(key);
        defaults.putIfAbsent(key, fallback == null ? "" : fallback);
    }

    /** The value set in the file, or null when the key is not set or set to nothing. */
    private String value(String key) {
        ConfigFile.Entry entry = file.entries().get(key);
        return entry == null || entry.value().isEmpty() ? null : entry.value();
    }

    String string(String key, String fallback) {
        declare(key, fallback);
        String value = value(key);
        return value == null ? fallback : value;
    }

    Path path(String key, Path fallback) {
        declare(key, fallback == null ? null : fallback.toString());
        String value = value(key);
        if (value == null) {
            return fallback;
        }
        Path path;
        try {
            path = Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            error(key, "expected a file name, got '" + value + "'");
            return fallback;
        }
        // Relative paths are taken from the folder of the configuration file, not the working one.
        Path base = file.path().toAbsolutePath().getParent();
        Path resolved = path.isAbsolute() || base == null ? path : base.resolve(path).normalize();
        effective.put(key, resolved.toString());
        return resolved;
    }

    /** The configuration file. */
    Path file() {
        return file.path();
    }

    /** The folder of the configuration file, against which relative paths are taken. */
    Path configFolder() {
        return file.path().toAbsolutePath().getParent();
    }

    List<String> list(String key, List<String> fallback) {
        declare(key, String.join(", ", fallback));
        String value = value(key);
        if (value == null) {
            return fallback;
        }
        List<String> items = new ArrayList<>();
        for (String item : value.split("[,\\s]+")) {
            if (!item.isEmpty()) {
                items.add(item);
            }
        }
        return items;
    }

    int integer(String key, int fallback, int min, int max) {
        declare(key, Integer.toString(fallback));
        return parsed(key, fallback, "a whole number from " + min + " to " + max, text -> {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new IllegalArgumentException();
            }
            return value;
        });
    }

    /** A size in bytes, with an optional k, M or G suffix (powers of 1024). */
    long size(String key, long fallback) {
        declare(key, Long.toString(fallback));
        return parsed(key, fallback, "a size in bytes such as 52428800, 512k, 50M or 1G", text -> {
            long unit = switch (Character.toLowerCase(text.charAt(text.length() - 1))) {
                case 'k' -> 1024L;
                case 'm' -> 1024L * 1024;
                case 'g' -> 1024L * 1024 * 1024;
                default -> 1L;
            };
            String digits = unit == 1 ? text : text.substring(0, text.length() - 1);
            long value = Math.multiplyExact(Long.parseLong(digits), unit);
            if (value <= 0) {
                throw new IllegalArgumentException();
            }
            return value;
        });
    }

    /** A duration: a number with s, m, h or d (a bare number is seconds, as in Postfix). */
    Duration duration(String key, Duration fallback) {
        declare(key, formatDuration(fallback));
        return parsed(key, fallback, "a duration such as 30s, 5m, 1h or 5d", ConfigReader::parseDuration);
    }

    /** A duration in its largest whole unit, as the file would write it: 300s is 5m, 4000s stays 4000s. */
    static String formatDuration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds != 0 && seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds != 0 && seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds != 0 && seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    static Duration parseDuration(String text) {
        char last = Character.toLowerCase(text.charAt(text.length() - 1));
        String digits = Character.isDigit(last) ? text : text.substring(0, text.length() - 1);
        long amount = Long.parseLong(digits);
        if (amount < 0) {
            throw new IllegalArgumentException();
        }
        return switch (last) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> {
                if (!Character.isDigit(last)) {
                    throw new IllegalArgumentException();
                }
                yield Duration.ofSeconds(amount);
            }
        };
    }

    boolean bool(String key, boolean fallback) {
        declare(key, fallback ? "yes" : "no");
        return parsed(key, fallback, "yes or no", text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on" -> true;
            case "no", "false", "off" -> false;
            default -> throw new IllegalArgumentException();
        });
    }

    /** host:port, [IPv6]:port, or a bare port (then on every address of {@code defaultHost}). */
    InetSocketAddress socketAddress(String key, InetSocketAddress fallback) {
        return parsed(key, fallback, "host:port such as 127.0.0.1:10025 or [::1]:25",
                ConfigReader::parseSocketAddress);
    }

    static InetSocketAddress parseSocketAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException();
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = Integer.parseInt(text.substring(colon + 1));
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException();
        }
        return new InetSocketAddress(host, port);
    }

    <T> T parsed(String key, T fallback, String expected, Function<String, T> parser) {
        declare(key, fallback == null ? null : fallback.toString());
        String value = value(key);
        if (value == null) {
            return fallback;
        }
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            // The parsers' own messages say what is wrong with the value; the JDK's (a number format, an
            // arithmetic overflow) speak of Java, not of the configuration.
            String detail = e.getMessage() == null || e instanceof NumberFormatException || e instanceof ArithmeticException
                    ? "" : " (" + e.getMessage() + ")";
            error(key, "expected " + expected + ", got '" + value + "'" + detail);
            return fallback;
        }
    }

    /**
     * One of a fixed set of names (a listener role, a TLS level, ...), in any case; an error says what
     * kind of name it is and lists the names, e.g. "unknown role 'SUBMIT', expected submission or mx".
     */
    <T> T choice(String key, T fallback, String kind, Map<String, T> names) {
        declare(key, names.entrySet().stream().filter(name -> name.getValue().equals(fallback)).map(Map.Entry::getKey)
                .findFirst().orElse(null));
        String value = value(key);
        if (value == null) {
            return fallback;
        }
        T found = names.get(value.toLowerCase(Locale.ROOT));
        if (found == null) {
            List<String> all = List.copyOf(names.keySet());
            String expected = all.size() == 1 ? all.get(0)
                    : String.join(", ", all.subList(0, all.size() - 1)) + " or " + all.get(all.size() - 1);
            error(key, "unknown " + kind + " '" + value + "', expected " + expected);
            return fallback;
        }
        return found;
    }

    /** One item of a list key, parsed; an error names the key and the item, and gives null. */
    <T> T item(String key, String item, String expected, Function<String, T> parser) {
        try {
            return parser.apply(item);
        } catch (RuntimeException e) {
            error(key, "expected " + expected + ", got '" + item + "'");
            return null;
        }
    }

    /** The keys with a given prefix, e.g. "route." gives {"example.test" -> "[127.0.0.1]:10026"}. */
    Map<String, String> withPrefix(String prefix) {
        Map<String, String> found = new LinkedHashMap<>();
        for (ConfigFile.Entry entry : file.entries().values()) {
            if (entry.key().startsWith(prefix) && entry.key().length() > prefix.length()) {
                known.add(entry.key());
                found.put(entry.key().substring(prefix.length()), entry.value());
            }
        }
        return found;
    }

    /** Whether the key is set to a value (a key with nothing after '=' is not). */
    boolean has(String key) {
        ConfigFile.Entry entry = file.entries().get(key);
        return entry != null && !entry.value().isEmpty();
    }

    /**
     * Notes an error of a key: {@code file:line: key: message}, the line being the key's (or none when
     * it is not set), and the reading goes on. The exception returned lists every error so far, for a
     * check after which nothing can be read ({@code throw r.error(...)}).
     */
    ConfigException error(String key, String message) {
        ConfigFile.Entry entry = file.entries().get(key);
        String where = entry == null ? file.path().toString() : file.path() + ":" + entry.line();
        problems.add(new ConfigFile.Problem(entry == null ? 0 : entry.line(), where + ": " + key + ": " + message));
        return new ConfigException(errors());
    }

    /**
     * Notes every key that no read asked for: a typo, with the known key it is closest to, or a
     * setting Sealpost does not have.
     */
    void rejectUnknownKeys() {
        for (ConfigFile.Entry entry : file.entries().values()) {
            if (!known.contains(entry.key())) {
                String hint = closest(entry.key()).map(key -> "did you mean " + key + "?")
                        .orElse(entry.key().startsWith("listener.")
                                ? "is the listener named in 'listeners', and is the key role, address, starttls "
                                        + "or dmarc_policy?"
                                : "docs/configuration.md lists every key");
                problems.add(new ConfigFile.Problem(entry.line(), file.path() + ":" + entry.line() + ": " + entry.key()
                        + ": unknown key; " + hint));
            }
        }
    }

    /** Every error found, in the order of the file's lines (errors of the file as a whole first). */
    List<String> errors() {
        return problems.stream().sorted(Comparator.comparingInt(ConfigFile.Problem::line))
                .map(ConfigFile.Problem::text).toList();
    }

    /** Every key read, with its default as the file would write it ("" for none). */
    Map<String, String> defaults() {
        return defaults;
    }

    /** The keys set in the file with their values, relative paths taken from the file's folder. */
    Map<String, String> set() {
        Map<String, String> set = new TreeMap<>();
        file.entries().forEach((key, entry) -> set.put(key, effective.getOrDefault(key, entry.value())));
        return set;
    }

    /** The known key within a small edit distance of {@code key}, if there is one nearest. */
    private java.util.Optional<String> closest(String key) {
        int limit = key.length() < 6 ? 1 : 2;
        String best = null;
        int bestDistance = limit + 1;
        // A listener's keys are compared with that listener's only: listener.mx.role is not a typo of listener.s.role.
        String listener = key.startsWith("listener.") && key.indexOf('.', 9) > 0 ? key.substring(0, key.indexOf('.', 9) + 1)
                : null;
        for (String candidate : new java.util.TreeSet<>(known)) {
            if (listener != null && !candidate.startsWith(listener)) {
                continue;
            }
            int distance = distance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return java.util.Optional.ofNullable(best);
    }

    /** Edits (insert, delete, replace, swap of neighbours) from one text to the other: the usual typos. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
