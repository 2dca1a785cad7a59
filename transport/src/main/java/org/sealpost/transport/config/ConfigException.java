package org.sealpost.transport.config;

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

    /** Each error, as {@code file:line: key: what is wrong, expected FORM}. */
    public List<String> problems() {
        return problems;
    }
}
