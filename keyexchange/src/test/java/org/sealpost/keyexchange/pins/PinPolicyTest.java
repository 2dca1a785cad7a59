package org.sealpost.keyexchange.pins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.cache.DurableStore;
import org.sealpost.keyexchange.dane.Chains;
import org.sealpost.keyexchange.policy.Check;
import org.sealpost.keyexchange.policy.Decision;
import org.sealpost.keyexchange.policy.DefaultLevel;
import org.sealpost.keyexchange.policy.DeliveryPolicy;
import org.sealpost.keyexchange.policy.Hop;
import org.sealpost.keyexchange.policy.HostPolicy;
import org.sealpost.keyexchange.policy.Policies;
import org.sealpost.keyexchange.policy.StaticPolicy;
import org.sealpost.keyexchange.policy.PeerSession;
import org.sealpost.keyexchange.policy.TestPeer;
import org.sealpost.keyexchange.policy.TestPolicy;
import org.sealpost.keyexchange.policy.TlsLevel;

/** The pin level in the policy list: where it decides, what enforce and testing do, where it only watches. */
class PinPolicyTest {

    private static final String HOST = "mx.example.net";
    private static final Clock CLOCK = Clock.fixed(Instant.now(), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private PinStore store;
    private PinCounters counters;
    private Chains.Issued server;
    private KeySet served;

    /** A session with the server: TLS or not, the chain it presents, the XKEYS key set it advertises and serves. */
    private static TestPeer peer(boolean tls, Chains.Issued presented, KeySet advertised) {
        TestPeer peer = tls ? TestPeer.tls(HOST, List.of(presented.certificate())) : TestPeer.plaintext(HOST);
        return advertised == null ? peer : peer.announcing("XKEYS", XkeysWire.ehloParameter(advertised))
                .replying(command -> new PeerSession.Reply(250, XkeysWire.replyLines(advertised)));
    }

    @BeforeEach
    void pinsAndServer() throws Exception {
        store = new PinStore(new DurableStore(dir));
        counters = new PinCounters();
        server = Chains.issue(HOST, null, false);
        served = signedBy(server, 1);
    }

    private KeySet signedBy(Chains.Issued key, long serial, Chains.Issued... next) throws Exception {
        Instant now = CLOCK.instant();
        return KeySet.sign(HOST, serial, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(29)), "",
                List.of(KeySet.spkiSha256(key.keys().getPublic())),
                java.util.Arrays.stream(next).map(n -> KeySet.spkiSha256(n.keys().getPublic())).toList(), List.of(),
                key.keys().getPrivate());
    }

    /** The list with the given policy before the pins, for the host on example.net. */
    private HostPolicy host(PinMode mode, DeliveryPolicy decided) {
        PinPolicy pins = new PinPolicy(new PinCheck(store), new PinModes(PinMode.ENFORCE, Map.of("example.net", mode)),
                counters, CLOCK);
        return new Policies(List.of(decided, pins)).beforeConnect(new Hop("example.net", HOST, 25, false)).join();
    }

    private static DeliveryPolicy opportunistic() {
        return new DefaultLevel(TlsLevel.MAY);
    }

    /** DANE as it decides for a host with usable TLSA records that the presented chain matches. */
    private static DeliveryPolicy daneMatching() {
        return TestPolicy.deciding("dane", TlsLevel.DANE_ONLY).verifiedAs("dane").checking(Check.pass("dane-ee"));
    }

    private void firstContact() {
        TestPeer peer = peer(true, server, served);
        assertTrue(host(PinMode.ENFORCE, opportunistic()).afterHandshake(peer).join().passed());
        assertEquals(1, peer.sent().size());
    }

    @Test
    void firstContact_pins_andTheNextDeliveryIsVerifiedWithoutAFetch() {
        HostPolicy before = host(PinMode.ENFORCE, opportunistic());
        assertEquals(TlsLevel.MAY, before.level());
        firstContact();
        HostPolicy after = host(PinMode.ENFORCE, opportunistic());
        assertEquals(TlsLevel.ENCRYPT, after.level(), "a pinned host must offer STARTTLS");
        assertEquals("xkeys", after.decidedBy());
        TestPeer again = peer(true, server, served);
        Check verification = after.afterHandshake(again).join();
        assertTrue(verification.passed());
        assertEquals("xkeys", verification.method());
        assertEquals(0, again.sent().size());
        assertEquals(Map.of("first_contact", 1L, "hash_hit", 1L, "fetch", 1L, "rollover", 0L, "violation", 0L,
                "refused_first_contact", 0L), counters.snapshot());
    }

    @Test
    void foreignKey_underEnforce_fails_andUnderTesting_passesAndIsCounted() throws Exception {
        firstContact();
        Chains.Issued proxy = Chains.issue(HOST, null, false);
        Check enforced = host(PinMode.ENFORCE, opportunistic()).afterHandshake(peer(true, proxy, served)).join();
        assertFalse(enforced.passed());
        assertTrue(enforced.reason().contains("neither pinned nor announced"), enforced.reason());
        HostPolicy testing = host(PinMode.TESTING, opportunistic());
        assertEquals(TlsLevel.MAY, testing.level(), "testing never makes a delivery fail");
        assertTrue(testing.afterHandshake(peer(true, proxy, served)).join().passed());
        assertEquals(2L, counters.snapshot().get("violation"));
        assertEquals(served, store.get(HOST + ":25").orElseThrow().set(), "the pin is not replaced");
    }

    @Test
    void strippedStarttls_orKeyword_underEnforce_fails() {
        firstContact();
        HostPolicy enforce = host(PinMode.ENFORCE, opportunistic());
        Check plaintext = enforce.afterHandshake(peer(false, server, served)).join();
        assertFalse(plaintext.passed());
        assertTrue(plaintext.reason().contains("STARTTLS"), plaintext.reason());
        Check noKeyword = enforce.afterHandshake(peer(true, server, null)).join();
        assertFalse(noKeyword.passed());
        assertTrue(noKeyword.reason().contains("did not advertise XKEYS"), noKeyword.reason());
        assertTrue(host(PinMode.TESTING, opportunistic()).afterHandshake(peer(false, server, served)).join().passed());
    }

    @Test
    void announcedRollover_isFollowed_andAnUnannouncedOneIsRefused() throws Exception {
        Chains.Issued next = Chains.issue(HOST, null, false);
        served = signedBy(server, 1, next);
        firstContact();
        KeySet rolled = signedBy(next, 2);
        Check followed = host(PinMode.ENFORCE, opportunistic()).afterHandshake(peer(true, next, rolled)).join();
        assertTrue(followed.passed(), followed.reason());
        assertEquals(rolled, store.get(HOST + ":25").orElseThrow().set());
        Chains.Issued stranger = Chains.issue(HOST, null, false);
        Check refused = host(PinMode.ENFORCE, opportunistic()).afterHandshake(peer(true, stranger, signedBy(stranger, 3)))
                .join();
        assertFalse(refused.passed());
        assertEquals(1L, counters.snapshot().get("rollover"));
    }

    @Test
    void whereDaneDecides_thePinIsMadeAndWatched_butNeverFailsTheHop() throws Exception {
        DeliveryPolicy dane = daneMatching();
        Check first = host(PinMode.ENFORCE, dane).afterHandshake(peer(true, server, served)).join();
        assertEquals("dane-ee", first.method());
        assertTrue(store.get(HOST + ":25").isPresent(), "pinned beside DANE");
        HostPolicy later = host(PinMode.ENFORCE, dane);
        assertEquals(TlsLevel.DANE_ONLY, later.level());
        assertEquals("dane", later.decidedBy());
        Chains.Issued other = Chains.issue(HOST, null, false);
        Check watched = later.afterHandshake(peer(true, other, served)).join();
        assertTrue(watched.passed());
        assertEquals("dane-ee", watched.method());
        assertEquals(1L, counters.snapshot().get("violation"));
    }

    @Test
    void aStaticPolicy_isNotRaised() {
        firstContact();
        HostPolicy fixed = host(PinMode.ENFORCE, new StaticPolicy(Map.of("example.net", TlsLevel.MAY)));
        assertEquals(TlsLevel.MAY, fixed.level());
        assertTrue(fixed.afterHandshake(peer(false, server, served)).join().passed());
    }

    @Test
    void modeOff_leavesThePolicyAsItWas_andPinsNothing() {
        PinPolicy pins = new PinPolicy(new PinCheck(store), new PinModes(PinMode.ENFORCE, Map.of(".example.net", PinMode.OFF)),
                counters, CLOCK);
        Decision decided = new Decision(TlsLevel.MAY, "default", "none", false, "");
        DeliveryPolicy.Step step = pins.beforeConnect(new Hop("lists.example.net", HOST, 25, false), decided).join();
        assertSame(decided, step.decision());
        assertTrue(step.afterHandshake().check(peer(true, server, served), decided).join().passed());
        assertTrue(store.get(HOST + ":25").isEmpty(), "nothing pinned under off");
        assertEquals(0L, counters.snapshot().get("fetch"));
    }

    @Test
    void aForgedSet_atFirstContact_isNotPinned_andTheDeliveryGoesAsWithoutPins() throws Exception {
        Chains.Issued other = Chains.issue(HOST, null, false);
        KeySet notSignedByThePresentedKey = signedBy(other, 1);
        Check verification = host(PinMode.ENFORCE, opportunistic())
                .afterHandshake(peer(true, server, notSignedByThePresentedKey)).join();
        assertTrue(verification.passed());
        assertTrue(store.get(HOST + ":25").isEmpty());
        assertEquals(1L, counters.snapshot().get("refused_first_contact"));
    }
}
