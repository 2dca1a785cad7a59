package org.sealpost.transport.config;

/** A configuration error, worded for the operator: the file, the line, the key and what was expected. */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
