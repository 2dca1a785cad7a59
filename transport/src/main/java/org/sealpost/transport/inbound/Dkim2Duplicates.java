package org.sealpost.transport.inbound;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import org.sealpost.signing.dkim2.Dkim2Result;
import org.sealpost.signing.dkim2.Dkim2Verdict;

/**
 * The DKIM2-signed transmissions the mx listeners of this process have queued, remembered to tell a
 * copy that arrives again (-06 11.9 "Check for unexpected replay": "If a Verifier receives multiple
 * copies of the same message and there is no indication that the message has been exploded then all
 * of the messages SHOULD be rejected"; Sealpost reports, it does not refuse).
 *
 * <p>"The same message" is read narrowly: a chain that passed whose m=1 Message-Instance hashes, newest
 * DKIM2-Signature (i=, d=, every sig-set's signature) and this transaction's envelope (MAIL FROM and the
 * set of RCPT TOs) all equal those of a message queued before. Each part alone is not enough. A sender
 * may send one signed message in several transactions, one per recipient: same signature, other
 * envelopes. A signer such as Sealpost signs each transaction and each retry anew: other signatures,
 * same m=1 hashes. Neither is a duplicate. An exact copy of one signed transaction, to the same
 * recipients, is a replay or a duplicate. When a hop marked the message f=exploded, copies are expected
 * and none is looked for.
 *
 * <p>Each transmission is kept as a SHA-256 of those parts, for the signature age the verifier accepts
 * (a copy that arrives later fails as expired anyway) and at most {@link #MAX_ENTRIES} entries. It is
 * remembered only once its message is queued ({@link #remember}), so that a message refused for any
 * reason and sent again is not taken for a copy of itself. Two copies that arrive at the same moment
 * are both checked before either is queued, and neither is flagged: the draft allows that it "may not
 * be practical to reject the first copy". The set is in memory, for the process: a restart forgets it.
 * Thread-safe.
 */
public final class Dkim2Duplicates {

    /**
     * The most transmissions remembered: about 150 octets each with the cache's own bookkeeping, so about
     * 15 MB when full, within the default heap (packaging/jvm.options, -Xmx256m). A relay that queues more
     * DKIM2-signed messages within the signature age forgets some early: the cache (W-TinyLFU) evicts by
     * its estimate of use, not strictly the oldest first; in a trial, a full cache given as many new
     * entries again kept about 40% of the newest and none of the oldest.
     */
    public static final long MAX_ENTRIES = 100_000;

    private final Cache<Key, Boolean> queued;

    /** @param maxAge how long a transmission is kept: the verifier's maximum signature age */
    public Dkim2Duplicates(Duration maxAge) {
        this(maxAge, MAX_ENTRIES, Ticker.systemTicker());
    }

    Dkim2Duplicates(Duration maxAge, long maxEntries, Ticker ticker) {
        // Evictions run on the caller's thread: a few steps per write, and no pool to start.
        this.queued = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(maxAge).ticker(ticker)
                .executor(Runnable::run).build();
    }

    /** One transmission: its 32-octet SHA-256 as four longs (no array, so equals and hashCode compare the value). */
    record Key(long a, long b, long c, long d) {

        static Key of(byte[] sha256) {
            ByteBuffer octets = ByteBuffer.wrap(sha256);
            return new Key(octets.getLong(), octets.getLong(), octets.getLong(), octets.getLong());
        }
    }

    /** The key of a transmission the check applies to: a chain that passed and that no hop marked f=exploded. */
    Optional<Key> keyOf(Dkim2Result result) {
        if (result.verdict() != Dkim2Verdict.PASS || result.exploded()) {
            return Optional.empty();
        }
        return result.transmission().map(transmission -> Key.of(transmission.digest()));
    }

    /** Whether a message with this transmission was queued within the signature age. */
    boolean seen(Key key) {
        return queued.getIfPresent(key) != null;
    }

    /** Remembers a transmission whose message is now queued. */
    void remember(Key key) {
        queued.put(key, Boolean.TRUE);
    }

    /** How many transmissions are remembered (estimated, as Caffeine counts). */
    long size() {
        return queued.estimatedSize();
    }
}
