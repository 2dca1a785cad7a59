package org.sealpost.transport.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Typed reads of a {@link ConfigFile}, each with its default. Every read marks its key as known,
 * so that what is left at the end is a misspelt or unknown key and can be reported.
 */
final class ConfigReader {

    private final ConfigFile file;
    private final Set<String> known = new HashSet<>();

    ConfigReader(ConfigFile file) {
        this.file = file;
    }

    String string(String key, String fallback) {
        known.add(key);
        ConfigFile.Entry entry = file.entries().get(key);
        return entry == null || entry.value().isEmpty() ? fallback : entry.value();
    }

    Path path(String key, Path fallback) {
        String value = string(key, null);
        if (value == null) {
            return fallback;
        }
        Path path = Path.of(value);
        // Relative paths are taken from the folder of the configuration file, not the working one.
        Path base = file.path().toAbsolutePath().getParent();
        return path.isAbsolute() || base == null ? path : base.resolve(path).normalize();
    }

    /** The folder of the configuration file, against which relative paths are taken. */
    Path configFolder() {
        return file.path().toAbsolutePath().getParent();
    }

    List<String> list(String key, List<String> fallback) {
        String value = string(key, null);
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

    int integer(String key, int fallback, int min, int max) throws ConfigException {
        return parsed(key, fallback, "a whole number from " + min + " to " + max, text -> {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new IllegalArgumentException();
            }
            return value;
        });
    }

    /** A size in bytes, with an optional k, M or G suffix (powers of 1024). */
    long size(String key, long fallback) throws ConfigException {
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
    Duration duration(String key, Duration fallback) throws ConfigException {
        return parsed(key, fallback, "a duration such as 30s, 5m, 1h or 5d", ConfigReader::parseDuration);
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

    boolean bool(String key, boolean fallback) throws ConfigException {
        return parsed(key, fallback, "yes or no", text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on" -> true;
            case "no", "false", "off" -> false;
            default -> throw new IllegalArgumentException();
        });
    }

    /** host:port, [IPv6]:port, or a bare port (then on every address of {@code defaultHost}). */
    InetSocketAddress socketAddress(String key, InetSocketAddress fallback) throws ConfigException {
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

    <T> T parsed(String key, T fallback, String expected, Function<String, T> parser) throws ConfigException {
        String value = string(key, null);
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
            throw error(key, "expected " + expected + ", got '" + value + "'" + detail);
        }
    }

    /**
     * One of a fixed set of names (a listener role, a TLS level, ...), in any case; an error says what
     * kind of name it is and lists the names, e.g. "unknown role 'SUBMIT', expected submission or mx".
     */
    <T> T choice(String key, T fallback, String kind, Map<String, T> names) throws ConfigException {
        String value = string(key, null);
        if (value == null) {
            return fallback;
        }
        T found = names.get(value.toLowerCase(Locale.ROOT));
        if (found == null) {
            List<String> all = List.copyOf(names.keySet());
            String expected = all.size() == 1 ? all.get(0)
                    : String.join(", ", all.subList(0, all.size() - 1)) + " or " + all.get(all.size() - 1);
            throw error(key, "unknown " + kind + " '" + value + "', expected " + expected);
        }
        return found;
    }

    /** One item of a list key, parsed; an error names the key and the item. */
    <T> T item(String key, String item, String expected, Function<String, T> parser) throws ConfigException {
        try {
            return parser.apply(item);
        } catch (RuntimeException e) {
            throw error(key, "expected " + expected + ", got '" + item + "'");
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

    ConfigException error(String key, String message) {
        ConfigFile.Entry entry = file.entries().get(key);
        String where = entry == null ? file.path().toString() : file.path() + ":" + entry.line();
        return new ConfigException(where + ": " + key + ": " + message);
    }

    /** Fails on the first key that no read asked for: a typo or a setting Sealpost does not have. */
    void rejectUnknownKeys() throws ConfigException {
        for (ConfigFile.Entry entry : file.entries().values()) {
            if (!known.contains(entry.key())) {
                String hint = entry.key().startsWith("listener.")
                        ? "; is the listener named in 'listeners', and is the key role, address or starttls?"
                        : "; docs/configuration.md lists every key";
                throw new ConfigException(file.path() + ":" + entry.line() + ": unknown key '" + entry.key() + "'" + hint);
            }
        }
    }
}
