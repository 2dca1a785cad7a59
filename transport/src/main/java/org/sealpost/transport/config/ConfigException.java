package org.sealpost.transport.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A configuration error, worded for the operator: the file, the line, the key and what was expected.
 * A file read in one pass may have several; {@link #problems} lists them all, one per line of the message.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(String message) {
        this(List.of(message));
    }

    ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * Why the file a key names cannot be read, worded alike wherever a file is read (at start, at
     * reload, by {@code sealpost config check}): "tls_key_file /etc/sealpost/key.pem: permission denied; ...".
     */
    public static String unreadable(String key, Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return key + " " + file + ": no such file; check " + key;
        }
        if (e instanceof AccessDeniedException) {
            return key + " " + file + ": permission denied; the user Sealpost runs as must be able to read it "
                    + "(docs/operations.md)";
        }
        return key + " " + file + ": cannot read it (" + e.getMessage() + ")";
    }

    /** Each error, as {@code file:line: key: what is wrong, expected FORM}. */
    public List<String> problems() {
        return problems;
    }
}
