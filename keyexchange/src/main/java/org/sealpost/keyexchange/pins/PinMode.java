package org.sealpost.keyexchange.pins;

import java.util.Locale;

/** What a pin violation does to a delivery (docs/xkeys.md). */
public enum PinMode {
    /** The host is not used (4.7.5); the message waits in the queue for a host that passes. */
    ENFORCE,
    /** The message is delivered; the violation is logged and counted. */
    TESTING,
    /** Pins are neither made, checked nor refreshed. */
    OFF;

    public static PinMode parse(String name) {
        for (PinMode mode : values()) {
            if (mode.name().equalsIgnoreCase(name.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown pin mode");
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
