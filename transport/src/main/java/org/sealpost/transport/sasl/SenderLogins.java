package org.sealpost.transport.sasl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sealpost.transport.config.ConfigException;

/**
 * Which SASL login may send as which address, as Postfix's smtpd_sender_login_maps: lines of
 * {@code ADDRESS LOGIN[,LOGIN...]}, where ADDRESS is a whole address or {@code @domain} for every
 * address of the domain. The whole address is looked up first, then its domain.
 */
public final class SenderLogins {

    private final Map<String, Set<String>> owners;

    private SenderLogins(Map<String, Set<String>> owners) {
        this.owners = Map.copyOf(owners);
    }

    public static SenderLogins load(Path file) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(ConfigException.unreadable("sender_login_maps", file, e));
        }
        Map<String, Set<String>> owners = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+", 2);
            String address = fields[0].toLowerCase(Locale.ROOT);
            if (fields.length != 2 || !address.contains("@") || address.endsWith("@")) {
                throw new ConfigException(file + ":" + (i + 1) + ": expected 'ADDRESS LOGIN[,LOGIN...]' with ADDRESS "
                        + "user@example.net or @example.net, got '" + line + "'");
            }
            if (owners.containsKey(address)) {
                throw new ConfigException(file + ":" + (i + 1) + ": " + address + " is listed twice");
            }
            owners.put(address, Set.of(fields[1].replace(" ", "").split(",")));
        }
        return new SenderLogins(owners);
    }

    /** Whether {@code login} may use {@code address} (the null sender is nobody's). */
    public boolean owns(String login, String address) {
        String wanted = address.toLowerCase(Locale.ROOT);
        int at = wanted.lastIndexOf('@');
        if (at <= 0) {
            return false;
        }
        Set<String> logins = owners.get(wanted);
        if (logins == null) {
            logins = owners.get(wanted.substring(at));
        }
        return logins != null && logins.contains(login);
    }
}
