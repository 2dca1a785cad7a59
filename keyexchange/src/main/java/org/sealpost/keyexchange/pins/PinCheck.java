package org.sealpost.keyexchange.pins;

import java.io.IOException;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The client's state machine of docs/xkeys.md for one connection: first contact, same hash,
 * another hash (fetch, check signature, serial and continuity), or a possible attack.
 */
public final class PinCheck {

    /** What the check found. VIOLATION is deferred under enforce and reported under testing. */
    public enum Outcome { NOT_PINNED, FIRST_CONTACT, HASH_HIT, ROLLED_OVER, VIOLATION }

    public record Result(Outcome outcome, String reason) {
    }

    /** Fetches the peer's key set with the XKEYS command; the octets as received. */
    @FunctionalInterface
    public interface Fetch {
        byte[] keySet() throws IOException;
    }

    /** How long past its not-after a pin is kept before the next contact counts as a first one. */
    static final Duration EXPIRY_GRACE = Duration.ofDays(30);

    private final PinStore pins;

    public PinCheck(PinStore pins) {
        this.pins = pins;
    }

    /**
     * @param host the MX host name, as connected to
     * @param hostPort the pin's key, "host:port"
     * @param tls whether STARTTLS succeeded
     * @param advertisedHash the XKEYS hash of the EHLO reply inside TLS, or null when absent
     * @param leafKey the public key of the certificate the peer presented (null without TLS)
     */
    public Result check(String host, String hostPort, boolean tls, String advertisedHash, PublicKey leafKey, Fetch fetch,
            Instant now) throws IOException {
        Optional<Pin> pinned = pins.get(hostPort).filter(p -> now.isBefore(p.set().notAfter().plus(EXPIRY_GRACE)));
        if (pinned.isEmpty()) {
            if (!tls || advertisedHash == null) {
                return new Result(Outcome.NOT_PINNED, "no pin and no XKEYS keyword inside TLS");
            }
            String problem = acceptable(host, hostPort, advertisedHash, leafKey, fetch, now, null);
            if (problem != null) {
                return new Result(Outcome.NOT_PINNED, "first contact refused: " + problem);
            }
            return new Result(Outcome.FIRST_CONTACT, "pinned the key set " + advertisedHash);
        }
        Pin pin = pinned.get();
        if (!tls) {
            return new Result(Outcome.VIOLATION, "pinned host offered no STARTTLS (stripped?)");
        }
        if (advertisedHash == null) {
            return new Result(Outcome.VIOLATION, "pinned host did not advertise XKEYS inside TLS (stripped?)");
        }
        String leaf = KeySet.spkiSha256(leafKey);
        if (advertisedHash.equals(pin.set().hash())) {
            if (!pin.set().tlsKeys().contains(leaf) && !pin.set().nextKeys().contains(leaf)) {
                return new Result(Outcome.VIOLATION, "the presented key " + leaf + " is neither pinned nor announced");
            }
            pins.put(hostPort, new Pin(pin.set(), pin.firstSeen(), now));
            return new Result(Outcome.HASH_HIT, "key set unchanged");
        }
        String problem = acceptable(host, hostPort, advertisedHash, leafKey, fetch, now, pin);
        if (problem != null) {
            return new Result(Outcome.VIOLATION, "new key set refused: " + problem);
        }
        return new Result(Outcome.ROLLED_OVER, "followed the key set from " + pin.set().hash() + " to " + advertisedHash);
    }

    /** Fetches and checks a set; pins it and returns null when it is acceptable, else the reason. */
    private String acceptable(String host, String hostPort, String advertisedHash, PublicKey leafKey, Fetch fetch,
            Instant now, Pin old) throws IOException {
        KeySet set;
        try {
            set = KeySet.parse(fetch.keySet());
        } catch (InvalidKeySetException e) {
            return e.getMessage();
        }
        if (!set.hash().equals(advertisedHash)) {
            return "the fetched set does not hash to the advertised " + advertisedHash;
        }
        if (!set.host().equalsIgnoreCase(host)) {
            return "the set is for " + set.host() + ", not " + host;
        }
        if (now.isBefore(set.notBefore()) || now.isAfter(set.notAfter())) {
            return "the set is valid from " + set.notBefore() + " to " + set.notAfter();
        }
        if (leafKey == null || !set.signedBy(leafKey)) {
            return "the set is not signed by the key the server presented";
        }
        if (old != null) {
            if (set.serial() <= old.set().serial()) {
                return "serial " + set.serial() + " is not above the pinned " + old.set().serial() + " (replay?)";
            }
            String signer = KeySet.spkiSha256(leafKey);
            boolean continues = set.previous().equals(old.set().hash())
                    || old.set().tlsKeys().contains(signer) || old.set().nextKeys().contains(signer);
            if (!continues) {
                return "the set neither follows the pinned one nor is signed by a pinned or announced key";
            }
        }
        pins.put(hostPort, new Pin(set, old == null ? now : old.firstSeen(), now));
        return null;
    }
}
