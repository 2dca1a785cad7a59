package org.sealpost.transport.relay;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.config.ConfigException;
import org.sealpost.transport.sasl.PasswordFile;
import org.sealpost.transport.smtp.server.ListenerRole;

/**
 * What {@code sealpost config check} looks at beyond the file's syntax: whatever a start of the relay
 * with this configuration would fail on, found without starting it (the same reads of the key files
 * and binds of the listener addresses as {@link Relay#start}, each failure worded as the start would
 * word it), and what would go wrong afterwards (mail for a local domain with no route).
 */
public final class StartChecks {

    private StartChecks() {
    }

    /** One line per problem found, in the order of the file's sections; none when the start would succeed. */
    public static List<String> of(Config config) {
        List<String> warnings = new ArrayList<>();
        queueDirectory(config.queueDirectory(), warnings);
        config.logFile().ifPresent(file -> logFile(file, warnings));
        if (config.tlsCertFile().isPresent() && config.tlsKeyFile().isPresent()) {
            check(warnings, () -> TlsKeyPair.read(config.tlsCertFile().get(), config.tlsKeyFile().get()));
        }
        check(warnings, () -> Relay.nextPair(config));
        config.saslPasswordFile().ifPresent(file -> check(warnings, () -> PasswordFile.load(file)));
        config.recipientVerification().file().ifPresent(file -> check(warnings,
                () -> org.sealpost.transport.smtp.server.RecipientFile.load(file)));
        check(warnings, () -> Relay.authorities(config));
        check(warnings, () -> Relay.dns(config));
        check(warnings, () -> Dkim.of(config, null, Runnable::run, org.sealpost.transport.metrics.Metrics.none())); // the keys and sender_login_maps, read as at start
        routes(config, warnings);
        listeners(config, warnings);
        return warnings;
    }

    /** A read the start does, whose failure says what is wrong and what to do. */
    private interface Step {
        void run() throws IOException, ConfigException;
    }

    private static void check(List<String> warnings, Step step) {
        try {
            step.run();
        } catch (IOException e) {
            warnings.add(e.getMessage());
        } catch (ConfigException e) {
            warnings.addAll(e.problems());
        } catch (RuntimeException e) { // a bug rather than a finding, but the check goes on to the others
            warnings.add("cannot check: " + e);
        }
    }

    /**
     * The start creates a missing queue_directory when it can, but then as the user that runs it: one
     * made by hand, owned by the user Sealpost runs as, is what docs/operations.md asks for. Writable is
     * judged for the user running the check, so run it as that user.
     */
    private static void queueDirectory(Path directory, List<String> warnings) {
        String key = "queue_directory " + directory + ": ";
        String make = "create it as a folder of the user Sealpost runs as (install -d -o sealpost -m 0700 " + directory
                + "; docs/operations.md)";
        if (!Files.exists(directory)) {
            warnings.add(key + "no such folder; " + make);
        } else if (!Files.isDirectory(directory)) {
            warnings.add(key + "not a folder; " + make);
        } else if (!Files.isWritable(directory)) {
            warnings.add(key + "permission denied; the user Sealpost runs as must own it (docs/operations.md)");
        }
    }

    private static void logFile(Path file, List<String> warnings) {
        Path folder = file.toAbsolutePath().getParent();
        if (Files.exists(file) ? !Files.isWritable(file) : folder == null || !Files.isWritable(folder)) {
            warnings.add("log_file " + file + ": " + (Files.exists(file) || folder != null && Files.isDirectory(folder)
                    ? "permission denied; the user Sealpost runs as must be able to append to it"
                    : "no such folder " + folder + "; create it or change log_file"));
        }
    }

    /**
     * Mail for a local domain goes back to Postfix by route.DOMAIN (or the relayhost); without either,
     * Sealpost looks up the domain's MX, which is this relay, and the message loops until it bounces.
     */
    private static void routes(Config config, List<String> warnings) {
        boolean mx = config.listeners().stream().anyMatch(listener -> listener.role() == ListenerRole.MX);
        if (!mx || config.client().routes().containsKey("*")) {
            return;
        }
        for (String domain : config.localDomains()) {
            if (!config.client().routes().containsKey(domain)) {
                warnings.add("local_domains " + domain + ": no route." + domain + " and no relayhost: mail an mx listener "
                        + "accepts for it would go to the domain's MX, this relay, and loop; set route." + domain
                        + " = [127.0.0.1]:10026, the Postfix that delivers it (docs/configuration.md)");
            }
        }
    }

    /**
     * Binds every listener's address as the start would, all at once (so two listeners on one address
     * are found too), and releases them. A running relay holds its own addresses: expect these
     * warnings when the check runs beside it.
     */
    private static void listeners(Config config, List<String> warnings) {
        List<ServerSocket> bound = new ArrayList<>();
        try {
            for (Config.Listener listener : config.listeners()) {
                ServerSocket socket = new ServerSocket();
                bound.add(socket);
                try {
                    socket.setReuseAddress(true); // as the relay's listeners: a socket in TIME_WAIT does not stop them
                    socket.bind(listener.address());
                } catch (IOException e) {
                    warnings.add(ListenFailure.of(listener, e).getMessage());
                }
            }
        } catch (IOException e) {
            warnings.add("cannot open a socket to try the listener addresses: " + e.getMessage());
        } finally {
            for (ServerSocket socket : bound) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // nothing was bound, or it is released anyway when the check exits
                }
            }
        }
    }
}
