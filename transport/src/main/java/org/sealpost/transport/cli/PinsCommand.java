package org.sealpost.transport.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.sealpost.cache.DurableStore;
import org.sealpost.keyexchange.pins.InvalidKeySetException;
import org.sealpost.keyexchange.pins.Pin;
import org.sealpost.transport.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * `sealpost pins list|show|forget|stats`: the keys this relay pinned from its peers with XKEYS
 * (docs/xkeys.md). They work on the store a running relay uses; a forgotten pin is dropped from
 * the relay's memory within a minute.
 */
@Command(name = "pins", mixinStandardHelpOptions = true,
        description = "The keys pinned from peers with XKEYS (docs/xkeys.md).",
        subcommands = {PinsCommand.ListPins.class, PinsCommand.Show.class, PinsCommand.Forget.class, PinsCommand.Stats.class})
final class PinsCommand {

    /** What every subcommand takes: the configuration, whose queue_directory holds the pins. */
    abstract static class OnStore extends ConfiguredCommand {

        Config settings;

        @Override
        final int run(Config configured) throws IOException {
            settings = configured;
            return run(new DurableStore(settings.pinDirectory()));
        }

        abstract int run(DurableStore pins) throws IOException;

        /** Runs {@code action} on each stored pin of HOST or HOST:PORT; exit 1 when there is none. */
        static int eachPin(DurableStore pins, String host, PinAction action) throws IOException {
            List<String> keys = matching(pins, host);
            for (String key : keys) {
                action.on(key);
            }
            if (keys.isEmpty()) {
                System.err.println("sealpost pins: no pin for " + host);
                return 1;
            }
            return 0;
        }

        interface PinAction {
            void on(String key) throws IOException;
        }

        /** The stored pins whose host is HOST (every port) or whose key is HOST:PORT. */
        static List<String> matching(DurableStore pins, String host) throws IOException {
            String wanted = host.toLowerCase(Locale.ROOT);
            List<String> found = new ArrayList<>();
            for (String key : pins.keys()) {
                if (key.equals(wanted) || key.substring(0, key.lastIndexOf(':')).equals(wanted)) {
                    found.add(key);
                }
            }
            return found;
        }

        static Optional<Pin> read(DurableStore pins, String key) throws IOException {
            Optional<byte[]> stored = pins.get(key);
            if (stored.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(Pin.decode(stored.get()));
            } catch (InvalidKeySetException e) {
                System.err.println("sealpost pins: " + key + ": unreadable pin (" + e.getMessage() + ")");
                return Optional.empty();
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "One line per pinned MX host: serial, keys, validity, first and last seen.")
    static final class ListPins extends OnStore {

        @Override
        int run(DurableStore pins) throws IOException {
            for (String key : pins.keys()) {
                Optional<Pin> pin = read(pins, key);
                if (pin.isPresent()) {
                    Pin p = pin.get();
                    System.out.println(key + " serial=" + p.set().serial() + " keys=" + shortened(p.set().tlsKeys())
                            + " next=" + shortened(p.set().nextKeys()) + " valid-until=" + p.set().notAfter()
                            + " first-seen=" + p.firstSeen() + " last-seen=" + p.lastSeen() + " hash=" + p.set().hash());
                }
            }
            return 0;
        }

        private static String shortened(List<String> keys) {
            return keys.isEmpty() ? "-" : String.join(",", keys.stream().map(k -> k.substring(0, 16)).toList());
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "The whole pinned key set of HOST (every port) or HOST:PORT; exit 1 when none.")
    static final class Show extends OnStore {

        @Parameters(paramLabel = "HOST", description = "the MX host name, or host:port")
        String host;

        @Override
        int run(DurableStore pins) throws IOException {
            return eachPin(pins, host, key -> {
                Optional<Pin> pin = read(pins, key);
                if (pin.isPresent()) {
                    System.out.println("# " + key + " hash " + pin.get().set().hash() + ", first seen " + pin.get().firstSeen()
                            + ", last seen " + pin.get().lastSeen());
                    System.out.print(new String(pin.get().set().encode(), StandardCharsets.UTF_8));
                }
            });
        }
    }

    @Command(name = "forget", mixinStandardHelpOptions = true,
            description = "Removes the pin of HOST (every port) or HOST:PORT: the next delivery is a "
            + "first contact again. Use it when a peer lost or changed its key without announcing it. Exit 1 when none.")
    static final class Forget extends OnStore {

        @Parameters(paramLabel = "HOST", description = "the MX host name, or host:port")
        String host;

        @Override
        int run(DurableStore pins) throws IOException {
            return eachPin(pins, host, key -> {
                pins.remove(key);
                System.out.println("forgot the pin of " + key);
            });
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "The pin counters of the running relay (first contacts, hash hits, fetches, "
            + "rollovers, violations, refused first contacts), as it last wrote them (every minute, and at stop).")
    static final class Stats extends OnStore {

        @Override
        int run(DurableStore pins) throws IOException {
            Optional<byte[]> counters = new DurableStore(settings.queueDirectory().resolve("state")).get(org.sealpost.transport.relay.PinStatistics.RECORD);
            System.out.print(counters.isPresent() ? new String(counters.get(), StandardCharsets.UTF_8)
                    : "no counters yet: the relay writes them a minute after its first pin event\n");
            return 0;
        }
    }
}
