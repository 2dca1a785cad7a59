package org.sealpost.transport.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sealpost.signing.dkim2.Dkim2Envelope;
import org.sealpost.signing.dkim2.Dkim2Result;
import org.sealpost.signing.dkim2.Dkim2Verdict;
import org.sealpost.signing.dkim2.Dkim2Wire;
import org.sealpost.signing.dkim2.InstanceHash;
import org.sealpost.signing.dkim2.SigSet;

/** The memory of queued DKIM2 transmissions: which results it keys, how long and how many it keeps. */
class Dkim2DuplicatesTest {

    private static final Dkim2Result.Transmission TO_BOB = new Dkim2Result.Transmission(
            List.of(new InstanceHash("sha256", new byte[32], new byte[32])), 1, "example.org",
            List.of(new SigSet("s1", "ed25519-sha256", new byte[64])), Dkim2Envelope.of("alice@example.org",
                    "bob@example.net"));

    private static Dkim2Result result(Dkim2Verdict verdict, List<String> flags, Optional<Dkim2Result.Transmission> sent) {
        Dkim2Result.Hop hop = new Dkim2Result.Hop(1, 1, "example.org", Optional.of("<alice@example.org>"),
                List.of("<bob@example.net>"), Optional.empty(), 0, flags, verdict, "", List.of());
        return new Dkim2Result(verdict, "", 0, List.of(hop), List.of(), sent);
    }

    @Test
    void keyOf_onlyAPassingChainNotExploded_withItsTransmission() {
        Dkim2Duplicates duplicates = new Dkim2Duplicates(Duration.ofDays(14));

        assertTrue(duplicates.keyOf(result(Dkim2Verdict.PASS, List.of(), Optional.of(TO_BOB))).isPresent());
        assertEquals(duplicates.keyOf(result(Dkim2Verdict.PASS, List.of(), Optional.of(TO_BOB))),
                duplicates.keyOf(result(Dkim2Verdict.PASS, List.of("feedback"), Optional.of(TO_BOB))));
        assertTrue(duplicates.keyOf(result(Dkim2Verdict.FAIL, List.of(), Optional.of(TO_BOB))).isEmpty());
        assertTrue(duplicates.keyOf(result(Dkim2Verdict.PERMERROR, List.of(), Optional.of(TO_BOB))).isEmpty());
        assertTrue(duplicates.keyOf(result(Dkim2Verdict.PASS, List.of(Dkim2Wire.EXPLODED), Optional.of(TO_BOB))).isEmpty());
        assertTrue(duplicates.keyOf(result(Dkim2Verdict.PASS, List.of(), Optional.empty())).isEmpty());
    }

    @Test
    void remembered_isSeenUntilTheSignatureAgeHasPassed() {
        AtomicLong nanos = new AtomicLong();
        Ticker ticker = nanos::get;
        Dkim2Duplicates duplicates = new Dkim2Duplicates(Duration.ofDays(14), 10, ticker);
        Dkim2Duplicates.Key key = duplicates.keyOf(result(Dkim2Verdict.PASS, List.of(), Optional.of(TO_BOB))).orElseThrow();

        assertFalse(duplicates.seen(key), "checking does not remember");
        duplicates.remember(key);
        nanos.addAndGet(Duration.ofDays(14).minusMinutes(1).toNanos());
        assertTrue(duplicates.seen(key));
        nanos.addAndGet(Duration.ofMinutes(2).toNanos());
        assertFalse(duplicates.seen(key));
    }

    @Test
    void remembers_atMostItsBound() {
        Dkim2Duplicates duplicates = new Dkim2Duplicates(Duration.ofDays(14), 100, Ticker.systemTicker());
        for (long k = 0; k < 1000; k++) {
            duplicates.remember(new Dkim2Duplicates.Key(k, k, k, k));
        }

        assertTrue(duplicates.size() <= 100, "size " + duplicates.size());
        assertTrue(duplicates.seen(new Dkim2Duplicates.Key(999, 999, 999, 999)), "the newest is kept");
    }
}
