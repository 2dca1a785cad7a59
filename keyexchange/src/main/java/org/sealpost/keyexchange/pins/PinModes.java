package org.sealpost.keyexchange.pins;

import java.util.Locale;
import java.util.Map;

/**
 * The pin mode per destination domain: an exact entry, a ".example.org" entry for every name
 * below it (as the static TLS policy map), or the global mode.
 */
public record PinModes(PinMode global, Map<String, PinMode> perDomain) {

    public PinModes {
        perDomain = Map.copyOf(perDomain);
    }

    public PinMode of(String domain) {
        String name = domain.toLowerCase(Locale.ROOT);
        PinMode mode = perDomain.get(name);
        for (int dot = name.indexOf('.'); mode == null && dot >= 0; dot = name.indexOf('.', dot + 1)) {
            mode = perDomain.get(name.substring(dot));
        }
        return mode == null ? global : mode;
    }
}
