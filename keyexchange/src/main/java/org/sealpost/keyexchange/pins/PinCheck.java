package org.sealpost.keyexchange.pins;

import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The client's state machine of docs/xkeys.md for one connection: first contact, same hash,
 * another hash (fetch, then check signature, serial and continuity), or a possible attack.
 */
public final class PinCheck {

    /** What the check found. VIOLATION is deferred under enforce and reported under testing. */
    public enum Outcome { NOT_PINNED, FIRST_CONTACT, HASH_HIT, ROLLED_OVER, VIOLATION }

    /**
     * @param fetched whether the key set was fetched with the XKEYS command
     * @param pin the pin in force after the check (empty for a host without one)
     */
    public record Result(Outcome outcome, String reason, boolean fetched, Optional<Pin> pin) {
    }

    /** Fetches the peer's key set with the XKEYS command: the octets as received. */
    @FunctionalInterface
    public interface Fetch {
        CompletableFuture<byte[]> keySet();
    }

    /** How long past its not-after a pin is kept before the next contact counts as a first one. */
    static final Duration EXPIRY_GRACE = Duration.ofDays(30);

    private final PinStore pins;
    private final boolean readOnly;

    public PinCheck(PinStore pins) {
        this(pins, false);
    }

    private PinCheck(PinStore pins, boolean readOnly) {
        this.pins = pins;
        this.readOnly = readOnly;
    }

    /**
     * A check that judges against the pins as a delivery would but never writes them: no first
     * contact is pinned (nor its set fetched), a rollover is checked but not followed, and the
     * last contact is not recorded (`sealpost check` looks, it does not pin).
     */
    public static PinCheck readOnly(PinStore pins) {
        return new PinCheck(pins, true);
    }

    /** The pin in force for a host, unless it expired long enough ago to be met afresh. */
    public Optional<Pin> pinned(String hostPort, Instant now) {
        return pins.get(hostPort).filter(p -> now.isBefore(p.set().notAfter().plus(EXPIRY_GRACE)));
    }

    /**
     * @param host the MX host name, as connected to
     * @param hostPort the pin's key, "host:port"
     * @param tls whether STARTTLS succeeded
     * @param advertisedHash the XKEYS hash of the EHLO reply inside TLS, or null when absent
     * @param leafKey the public key of the certificate the peer presented (null without TLS)
     */
    public CompletableFuture<Result> check(String host, String hostPort, boolean tls, String advertisedHash,
            PublicKey leafKey, Fetch fetch, Instant now) {
        Optional<Pin> pinned = pinned(hostPort, now);
        if (pinned.isEmpty()) {
            if (readOnly) {
                return done(Outcome.NOT_PINNED, "not pinned (a delivery would pin it at first contact)", false, pinned);
            }
            if (!tls || advertisedHash == null || leafKey == null) {
                return done(Outcome.NOT_PINNED, "no pin and no XKEYS keyword inside TLS", false, pinned);
            }
            return fetchAndCheck(host, hostPort, advertisedHash, leafKey, fetch, now, null).thenApply(problem ->
                    problem == null ? new Result(Outcome.FIRST_CONTACT, "pinned the key set " + advertisedHash, true,
                            pins.get(hostPort))
                            : new Result(Outcome.NOT_PINNED, "first contact refused: " + problem, true, Optional.empty()));
        }
        Pin pin = pinned.get();
        if (!tls) {
            return done(Outcome.VIOLATION, "the pinned host offered no STARTTLS (stripped?)", false, pinned);
        }
        if (advertisedHash == null) {
            return done(Outcome.VIOLATION, "the pinned host did not advertise XKEYS inside TLS (stripped?)", false, pinned);
        }
        if (advertisedHash.equals(pin.set().hash())) {
            String leaf = leafKey == null ? "(none)" : KeySet.spkiSha256(leafKey);
            if (!pin.set().tlsKeys().contains(leaf) && !pin.set().nextKeys().contains(leaf)) {
                return done(Outcome.VIOLATION, "the presented key " + leaf + " is neither pinned nor announced", false, pinned);
            }
            if (!readOnly) {
                pins.seen(hostPort, now);
            }
            return done(Outcome.HASH_HIT, "key set unchanged", false, pinned);
        }
        return fetchAndCheck(host, hostPort, advertisedHash, leafKey, fetch, now, pin).thenApply(problem ->
                problem == null ? new Result(Outcome.ROLLED_OVER, "followed the key set from " + pin.set().hash() + " (serial "
                        + pin.set().serial() + ") to " + advertisedHash, true, pins.get(hostPort))
                        : new Result(Outcome.VIOLATION, "new key set refused: " + problem, true, pinned));
    }

    /** Fetches and checks a set; pins it and completes with null when it is acceptable, else the reason. */
    private CompletableFuture<String> fetchAndCheck(String host, String hostPort, String advertisedHash, PublicKey leafKey,
            Fetch fetch, Instant now, Pin old) {
        return fetch.keySet().handle((octets, error) -> {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                return CompletableFuture.completedFuture("cannot fetch the key set: " + cause.getMessage());
            }
            KeySet set;
            try {
                set = KeySet.parse(octets);
            } catch (InvalidKeySetException e) {
                return CompletableFuture.completedFuture(e.getMessage());
            }
            String problem = problem(set, host, advertisedHash, leafKey, now, old);
            if (problem != null || readOnly) {
                return CompletableFuture.completedFuture(problem);
            }
            return pins.pin(hostPort, new Pin(set, old == null ? now : old.firstSeen(), now))
                    .thenApply(taken -> taken ? null : "a set with a higher serial was pinned meanwhile");
        }).thenCompose(problem -> problem);
    }

    private static String problem(KeySet set, String host, String advertisedHash, PublicKey leafKey, Instant now, Pin old) {
        if (!set.hash().equals(advertisedHash)) {
            return "the fetched set does not hash to the advertised " + advertisedHash;
        }
        // A route to an address literal ("[192.0.2.1]:25") has no name to compare: the host's
        // own name is in the set, and the signature by the presented key still binds it.
        if (!addressLiteral(host) && !set.host().equalsIgnoreCase(host)) {
            return "the set is for " + set.host() + ", not " + host;
        }
        if (now.isBefore(set.notBefore()) || now.isAfter(set.notAfter())) {
            return "the set is valid from " + set.notBefore() + " to " + set.notAfter();
        }
        if (!set.signedBy(leafKey)) {
            return "the set is not signed by the key the server presented";
        }
        if (old == null) {
            return null;
        }
        if (set.serial() <= old.set().serial()) {
            return "serial " + set.serial() + " is not above the pinned " + old.set().serial() + " (replay?)";
        }
        // Continuity is proved by a key, never by the previous hash alone: set-hashes are public,
        // so anyone can write "previous <pinned hash>" into a set signed with a key of their own.
        String signer = KeySet.spkiSha256(leafKey);
        if (!old.set().tlsKeys().contains(signer) && !old.set().nextKeys().contains(signer)) {
            return "the server's key " + signer + " was neither pinned nor announced as a next key";
        }
        return null;
    }

    private static boolean addressLiteral(String host) {
        return host.contains(":") || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    }

    private static CompletableFuture<Result> done(Outcome outcome, String reason, boolean fetched, Optional<Pin> pin) {
        return CompletableFuture.completedFuture(new Result(outcome, reason, fetched, pin));
    }
}
