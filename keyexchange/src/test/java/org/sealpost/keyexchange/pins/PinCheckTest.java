package org.sealpost.keyexchange.pins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.cache.DurableStore;

/** The client's pin state machine: first contact, hash hits without fetches, rollover, attacks. */
class PinCheckTest {

    private static final String HOST = "mx.example.net";
    private static final String KEY = "mx.example.net:25";
    private static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");

    @TempDir
    Path dir;

    private PinStore store;
    private PinCheck check;
    private final AtomicInteger fetches = new AtomicInteger();

    @BeforeEach
    void stores() throws Exception {
        store = new PinStore(new DurableStore(dir));
        check = new PinCheck(store);
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static KeySet set(KeyPair signer, long serial, String previous, KeyPair... next) throws Exception {
        return KeySet.sign(HOST, serial, Instant.parse("2026-11-22T00:00:00Z"), Instant.parse("2026-12-22T00:00:00Z"), previous,
                List.of(KeySet.spkiSha256(signer.getPublic())),
                java.util.Arrays.stream(next).map(k -> KeySet.spkiSha256(k.getPublic())).toList(), List.of(), signer.getPrivate());
    }

    private PinCheck.Result contact(KeySet served, KeyPair presented) {
        return contact(check, served, presented);
    }

    private PinCheck.Result contact(PinCheck with, KeySet served, KeyPair presented) {
        return with.check(HOST, KEY, true, served.hash(), presented.getPublic(), () -> {
            fetches.incrementAndGet();
            return CompletableFuture.completedFuture(served.encode());
        }, NOW).join();
    }

    private static PinCheck.Fetch nothing() {
        return () -> CompletableFuture.completedFuture(new byte[0]);
    }

    @Test
    void firstContact_pins_thenTheSameHashFetchesNothing_andSurvivesARestart() throws Exception {
        KeyPair key = ec();
        KeySet served = set(key, 1, "");
        assertEquals(PinCheck.Outcome.FIRST_CONTACT, contact(served, key).outcome());
        assertEquals(PinCheck.Outcome.HASH_HIT, contact(served, key).outcome());
        store.close();
        PinCheck afterRestart = new PinCheck(new PinStore(new DurableStore(dir)));
        assertEquals(PinCheck.Outcome.HASH_HIT, contact(afterRestart, served, key).outcome());
        assertEquals(1, fetches.get());
    }

    @Test
    void announcedRollover_isFollowed() throws Exception {
        KeyPair old = ec();
        KeyPair next = ec();
        KeySet first = set(old, 1, "", next);
        contact(first, old);
        KeySet second = set(next, 2, first.hash());
        assertEquals(PinCheck.Outcome.ROLLED_OVER, contact(second, next).outcome());
        assertEquals(second, store.get(KEY).orElseThrow().set());
    }

    @Test
    void unannouncedKey_isAViolation() throws Exception {
        KeyPair old = ec();
        KeySet first = set(old, 1, "");
        contact(first, old);
        KeyPair intruder = ec();
        PinCheck.Result result = contact(set(intruder, 2, ""), intruder);
        assertEquals(PinCheck.Outcome.VIOLATION, result.outcome());
        assertTrue(result.reason().contains("neither pinned nor announced"), result.reason());
        assertEquals(first, store.get(KEY).orElseThrow().set(), "the pin stays");
    }

    @Test
    void foreignKey_claimingThePinnedSetAsPrevious_isAViolation() throws Exception {
        // Set-hashes and serials are public: a set that names the pinned one as its previous,
        // with a higher serial, proves nothing unless a pinned or announced key signed it.
        KeyPair old = ec();
        KeySet first = set(old, 1, "");
        contact(first, old);
        KeyPair intruder = ec();
        PinCheck.Result result = contact(set(intruder, 2, first.hash()), intruder);
        assertEquals(PinCheck.Outcome.VIOLATION, result.outcome());
        assertEquals(first, store.get(KEY).orElseThrow().set());
    }

    @Test
    void sameKey_newSet_isFollowed_withoutAnAnnouncement() throws Exception {
        KeyPair key = ec();
        KeySet first = set(key, 1, "");
        contact(first, key);
        KeyPair next = ec();
        KeySet second = set(key, 2, first.hash(), next);
        assertEquals(PinCheck.Outcome.ROLLED_OVER, contact(second, key).outcome());
        assertEquals(List.of(KeySet.spkiSha256(next.getPublic())), store.get(KEY).orElseThrow().set().nextKeys());
    }

    @Test
    void announcedKey_isAccepted_underTheOldHash_withoutAFetch() throws Exception {
        KeyPair old = ec();
        KeyPair next = ec();
        KeySet first = set(old, 1, "", next);
        contact(first, old);
        assertEquals(PinCheck.Outcome.HASH_HIT, contact(first, next).outcome());
        assertEquals(1, fetches.get());
    }

    @Test
    void fetchFailure_ofAPinnedHostsNewSet_isAViolation() throws Exception {
        KeyPair key = ec();
        contact(set(key, 1, ""), key);
        KeySet second = set(key, 2, "");
        PinCheck.Result result = check.check(HOST, KEY, true, second.hash(), key.getPublic(),
                () -> CompletableFuture.failedFuture(new IOException("lost connection")), NOW).join();
        assertEquals(PinCheck.Outcome.VIOLATION, result.outcome());
        assertTrue(result.reason().contains("lost connection"), result.reason());
    }

    @Test
    void setForAnotherHost_isRefused() throws Exception {
        KeyPair key = ec();
        KeySet other = KeySet.sign("mx.other.net", 1, Instant.parse("2026-11-22T00:00:00Z"),
                Instant.parse("2026-12-22T00:00:00Z"), "", List.of(KeySet.spkiSha256(key.getPublic())), List.of(), List.of(),
                key.getPrivate());
        PinCheck.Result result = contact(other, key);
        assertEquals(PinCheck.Outcome.NOT_PINNED, result.outcome());
        assertTrue(result.reason().contains("mx.other.net"), result.reason());
    }

    @Test
    void routeToAnAddressLiteral_pinsTheSetOfTheHostsOwnName() throws Exception {
        KeyPair key = ec();
        KeySet served = set(key, 1, "");
        PinCheck.Result result = check.check("192.0.2.1", "192.0.2.1:25", true, served.hash(), key.getPublic(),
                () -> CompletableFuture.completedFuture(served.encode()), NOW).join();
        assertEquals(PinCheck.Outcome.FIRST_CONTACT, result.outcome());
        assertEquals(HOST, store.get("192.0.2.1:25").orElseThrow().set().host());
    }

    @Test
    void expiredSet_isRefused_andAPinLongPastItsEnd_isMetAfresh() throws Exception {
        KeyPair key = ec();
        KeySet served = set(key, 1, "");
        contact(served, key);
        Instant muchLater = served.notAfter().plus(PinCheck.EXPIRY_GRACE).plusSeconds(1);
        assertTrue(check.pinned(KEY, muchLater).isEmpty());
        PinCheck.Result result = check.check(HOST, KEY, true, served.hash(), key.getPublic(),
                () -> CompletableFuture.completedFuture(served.encode()), muchLater).join();
        assertEquals(PinCheck.Outcome.NOT_PINNED, result.outcome());
        assertTrue(result.reason().contains("valid from"), result.reason());
    }

    @Test
    void concurrentContacts_withAnOldAndANewSet_keepTheNewOne() throws Exception {
        KeyPair key = ec();
        KeySet first = set(key, 1, "");
        KeySet second = set(key, 2, first.hash());
        contact(first, key);
        List<CompletableFuture<PinCheck.Result>> results = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 64; i++) {
                KeySet served = i % 2 == 0 ? second : first;
                results.add(CompletableFuture.supplyAsync(() -> contact(served, key), pool));
            }
            results.forEach(CompletableFuture::join);
        } finally {
            pool.shutdown();
        }
        store.close();
        assertEquals(2, new PinStore(new DurableStore(dir)).get(KEY).orElseThrow().set().serial());
        assertEquals(2, this.store.get(KEY).orElseThrow().set().serial());
    }

    @Test
    void proxyWithItsOwnKey_replayingTheAdvertisedHash_isAViolation() throws Exception {
        KeyPair key = ec();
        KeySet served = set(key, 1, "");
        contact(served, key);
        PinCheck.Result result = contact(served, ec());
        assertEquals(PinCheck.Outcome.VIOLATION, result.outcome());
    }

    @Test
    void strippedStarttls_orKeyword_isAViolation() throws Exception {
        KeyPair key = ec();
        contact(set(key, 1, ""), key);
        assertEquals(PinCheck.Outcome.VIOLATION, check.check(HOST, KEY, false, null, null, nothing(), NOW).join().outcome());
        assertEquals(PinCheck.Outcome.VIOLATION,
                check.check(HOST, KEY, true, null, key.getPublic(), nothing(), NOW).join().outcome());
    }

    @Test
    void replayOfAnOlderValidSet_isRefused() throws Exception {
        KeyPair key = ec();
        KeySet first = set(key, 1, "");
        KeySet second = set(key, 2, first.hash());
        contact(first, key);
        contact(second, key);
        PinCheck.Result result = contact(first, key);
        assertEquals(PinCheck.Outcome.VIOLATION, result.outcome());
        assertTrue(result.reason().contains("replay"), result.reason());
    }

    @Test
    void forgedSet_isRefused_atFirstContact() throws Exception {
        KeyPair key = ec();
        KeySet genuine = set(key, 1, "");
        byte[] forged = new String(genuine.encode()).replace("serial 1", "serial 9").getBytes();
        PinCheck.Result result = check.check(HOST, KEY, true, KeySet.parse(forged).hash(), key.getPublic(),
                () -> CompletableFuture.completedFuture(forged), NOW).join();
        assertEquals(PinCheck.Outcome.NOT_PINNED, result.outcome());
        assertTrue(store.get(KEY).isEmpty());
    }

    @Test
    void forgottenPin_makesTheNextContactAFirstOne() throws Exception {
        KeyPair key = ec();
        KeySet served = set(key, 1, "");
        contact(served, key);
        assertTrue(store.forget(KEY));
        assertEquals(PinCheck.Outcome.FIRST_CONTACT, contact(served, key).outcome());
    }

    @Test
    void damagedPinFile_isSetAside_andTheHostIsMetAsAFirstContact() throws Exception {
        KeyPair key = ec();
        KeySet served = set(key, 1, "");
        contact(served, key);
        store.close();
        java.nio.file.Path record;
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
            record = files.filter(f -> f.toString().endsWith(".rec")).findFirst().orElseThrow();
        }
        byte[] octets = java.nio.file.Files.readAllBytes(record);
        octets[octets.length / 2] ^= 0x20;
        java.nio.file.Files.write(record, octets);

        PinStore reopened = new PinStore(new DurableStore(dir));
        PinCheck.Result result = contact(new PinCheck(reopened), served, key);
        assertEquals(PinCheck.Outcome.FIRST_CONTACT, result.outcome());
        try (java.util.stream.Stream<java.nio.file.Path> aside = java.nio.file.Files.list(dir.resolve("corrupt"))) {
            assertEquals(1, aside.count(), "the damaged record was not kept for the operator");
        }
    }
}
