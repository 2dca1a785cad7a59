package org.sealpost.transport.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.cache.DurableStore;
import org.sealpost.keyexchange.pins.KeySet;
import org.sealpost.keyexchange.pins.Pin;
import org.sealpost.keyexchange.pins.PinStore;
import org.sealpost.signing.arc.ArcVerifier;
import org.sealpost.signing.arc.TrustedSealers;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.DkimSigner;
import org.sealpost.signing.dkim.DkimVerifier;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.SigningKey;
import org.sealpost.signing.dkim.VerifierOptions;
import org.sealpost.signing.dmarc.DmarcEvaluator;
import org.sealpost.signing.spf.SpfChecker;
import org.sealpost.signing.spf.SpfDns;
import org.sealpost.transport.smtp.client.Route;

/**
 * The signing policy of the From domain's MX (docs/xkeys.md): a held pin whose key set names DKIM selectors
 * for the domain asks for a passing signature by it; without one the field says so (report) or the message
 * is refused (enforce).
 */
class SigningPolicyTest {

    /** The signer stamps t= with the real time, so the checks run at it too. */
    private static final Instant NOW = Instant.now();
    private static final GeneratedKey PINNED_KEY = key();
    private static final GeneratedKey OTHER_KEY = key();
    private static final InetAddress CLIENT = address("192.0.2.1");

    private static final TxtZone ZONE = new TxtZone(Map.of(
            "s1._domainkey.pinned.example", PINNED_KEY.txtRecord(),
            "s9._domainkey.pinned.example", PINNED_KEY.txtRecord(),
            "s2._domainkey.other.example", OTHER_KEY.txtRecord(),
            "s1._domainkey.stale.example", PINNED_KEY.txtRecord()),
            Set.of("broken.example", "unpinned-broken.example"),
            Map.of("pinned.example", List.of("mx2.pinned.example", "MX.Pinned.Example."),
                    "stale.example", List.of("mx.stale.example"),
                    "nopin.example", List.of("mx.nopin.example"),
                    "bare.example", List.of(),
                    "routed.example", List.of("mx.routed.example")));

    @TempDir
    Path dir;
    private PinStore pins;

    @BeforeEach
    void pinTheMxHosts() throws Exception {
        pins = new PinStore(new DurableStore(dir));
        pin("mx.pinned.example:25", "mx.pinned.example", NOW.plus(Duration.ofDays(20)),
                new KeySet.Dkim("pinned.example", "s1", "ed25519"), new KeySet.Dkim("pinned.example", "s1r", "rsa-sha256"));
        pin("mx.stale.example:25", "mx.stale.example", NOW.minus(Duration.ofDays(1)),
                new KeySet.Dkim("stale.example", "s1", "ed25519"));
        pin("bare.example:25", "bare.example", NOW.plus(Duration.ofDays(20)),
                new KeySet.Dkim("bare.example", "b1", "ed25519"));
        pin("mx.routed.example:2525", "mx.routed.example", NOW.plus(Duration.ofDays(20)),
                new KeySet.Dkim("routed.example", "r1", "ed25519"));
        pin("mx.broken.example:25", "mx.broken.example", NOW.plus(Duration.ofDays(20)),
                new KeySet.Dkim("broken.example", "k1", "ed25519"));
    }

    @AfterEach
    void close() {
        pins.close();
    }

    private void pin(String hostPort, String host, Instant notAfter, KeySet.Dkim... dkim) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair tls = generator.generateKeyPair();
        KeySet set = KeySet.sign(host, 1, notAfter.minus(Duration.ofDays(30)), notAfter, "",
                List.of(KeySet.spkiSha256(tls.getPublic())), List.of(), List.of(dkim), tls.getPrivate());
        pins.pin(hostPort, new Pin(set, NOW.minus(Duration.ofDays(5)), NOW.minus(Duration.ofDays(5)))).join();
    }

    private InboundVerdict check(SigningPolicyMode mode, DmarcMode dmarcMode, String from, String message) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        InboundChecks checks = new InboundChecks(new SpfChecker(SpfDns.over(ZONE), "mx.example.test", clock),
                new DkimVerifier(ZONE, VerifierOptions.defaults().withClock(clock)), new ArcVerifier(ZONE),
                new DmarcEvaluator(ZONE), new TrustedSealers(List.of()), "mx.example.test", dmarcMode,
                new SigningPolicy(pins, ZONE, Map.of("routed.example", Route.parse("routed.example:2525")), clock), mode);
        return checks.check(CLIENT, "mail.example.test", from, message.getBytes(StandardCharsets.UTF_8)).join();
    }

    private InboundVerdict check(SigningPolicyMode mode, String from, String message) {
        return check(mode, DmarcMode.ENFORCE, from, message);
    }

    private static String message(String from) {
        return "From: <" + from + ">\r\nTo: bob@example.test\r\nSubject: hi\r\n\r\nbody\r\n";
    }

    private static String signed(String domain, String selector, GeneratedKey key, String message) {
        try {
            return new DkimSigner(SigningKey.of(domain, selector, key.privateKey()))
                    .sign(message.getBytes(StandardCharsets.UTF_8)) + message;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void signedByTheDomain_withANamedSelector_passes() {
        InboundVerdict verdict = check(SigningPolicyMode.ENFORCE, "alice@pinned.example",
                signed("pinned.example", "s1", PINNED_KEY, message("alice@pinned.example")));
        assertEquals(InboundVerdict.Action.ACCEPT, verdict.action(), verdict.verdictLine());
        assertTrue(verdict.authenticationResults().endsWith("dmarc=none header.from=pinned.example policy.xkeys-signing="
                + "pass (the key set of mx.pinned.example:25 lists s=s1,s1r for pinned.example)"),
                verdict.authenticationResults());
    }

    @Test
    void signedByTheDomain_withASelectorTheKeySetDoesNotName_passes() {
        // The domain's other senders sign with selectors of their own; d= is what the key set vouches for.
        InboundVerdict verdict = check(SigningPolicyMode.ENFORCE, "alice@pinned.example",
                signed("pinned.example", "s9", PINNED_KEY, message("alice@pinned.example")));
        assertEquals(InboundVerdict.Action.ACCEPT, verdict.action(), verdict.verdictLine());
        assertTrue(verdict.authenticationResults().contains("policy.xkeys-signing=pass"), verdict.authenticationResults());
    }

    @Test
    void unsigned_underReport_isAccepted_andTheFieldSaysSo() {
        InboundVerdict verdict = check(SigningPolicyMode.REPORT, "alice@pinned.example", message("alice@pinned.example"));
        assertEquals(InboundVerdict.Action.ACCEPT, verdict.action());
        assertTrue(verdict.authenticationResults().endsWith("; dkim=none; arc=none; dmarc=none header.from=pinned.example "
                + "policy.xkeys-signing=fail (the key set of mx.pinned.example:25 lists s=s1,s1r for pinned.example; "
                + "no passing DKIM signature by pinned.example)"), verdict.authenticationResults());
        assertEquals(1, verdict.outcome().additions().prepend().size(), "only the Authentication-Results field");
    }

    @Test
    void unsigned_underEnforce_isRefused_namingTheDomainTheMxAndTheSelectors() {
        InboundVerdict verdict = check(SigningPolicyMode.ENFORCE, "alice@pinned.example", message("alice@pinned.example"));
        assertEquals(InboundVerdict.Action.REJECT, verdict.action());
        assertEquals("verdict: reject 550 5.7.1 Error: mail from pinned.example must carry a passing DKIM signature by "
                + "pinned.example: the XKEYS key set of its MX mx.pinned.example (port 25) names the DKIM selectors s1, s1r",
                verdict.verdictLine());
        assertTrue(verdict.outcome().refusal().startsWith("550 5.7.1 "), verdict.outcome().refusal());
    }

    @Test
    void unsigned_underEnforce_isRefused_evenWhenDmarcIsOnlyReported() {
        InboundVerdict verdict = check(SigningPolicyMode.ENFORCE, DmarcMode.REPORT, "alice@pinned.example",
                message("alice@pinned.example"));
        assertEquals(InboundVerdict.Action.REJECT, verdict.action(), "the two settings are separate");
    }

    @Test
    void signedByAnotherDomainOnly_fails() {
        InboundVerdict verdict = check(SigningPolicyMode.ENFORCE, "alice@pinned.example",
                signed("other.example", "s2", OTHER_KEY, message("alice@pinned.example")));
        assertTrue(verdict.authenticationResults().contains("dkim=pass header.d=other.example"),
                verdict.authenticationResults());
        assertTrue(verdict.authenticationResults().contains("policy.xkeys-signing=fail"), verdict.authenticationResults());
        assertEquals(InboundVerdict.Action.REJECT, verdict.action());
    }

    @Test
    void failingSignatureByTheDomain_fails() {
        String tampered = signed("pinned.example", "s1", PINNED_KEY, message("alice@pinned.example"))
                .replace("body", "bodY");
        InboundVerdict verdict = check(SigningPolicyMode.ENFORCE, "alice@pinned.example", tampered);
        assertTrue(verdict.authenticationResults().contains("dkim=fail header.d=pinned.example"),
                verdict.authenticationResults());
        assertEquals(InboundVerdict.Action.REJECT, verdict.action());
    }

    @Test
    void noPin_saysNothing() {
        InboundVerdict verdict = check(SigningPolicyMode.ENFORCE, "alice@nopin.example", message("alice@nopin.example"));
        assertEquals(InboundVerdict.Action.ACCEPT, verdict.action());
        assertFalse(verdict.authenticationResults().contains("xkeys"), verdict.authenticationResults());
    }

    @Test
    void expiredPin_saysNothing() {
        InboundVerdict verdict = check(SigningPolicyMode.ENFORCE, "alice@stale.example", message("alice@stale.example"));
        assertEquals(InboundVerdict.Action.ACCEPT, verdict.action());
        assertFalse(verdict.authenticationResults().contains("xkeys"), verdict.authenticationResults());
    }

    @Test
    void domainWithoutMx_isItsOwnHost() {
        InboundVerdict verdict = check(SigningPolicyMode.REPORT, "alice@bare.example", message("alice@bare.example"));
        assertTrue(verdict.authenticationResults().contains("policy.xkeys-signing=fail (the key set of bare.example:25 "),
                verdict.authenticationResults());
    }

    @Test
    void routedDomain_isLookedUpAtThePortMailGoesTo() {
        InboundVerdict verdict = check(SigningPolicyMode.REPORT, "alice@routed.example", message("alice@routed.example"));
        assertTrue(verdict.authenticationResults().contains("policy.xkeys-signing=fail (the key set of "
                + "mx.routed.example:2525 "), verdict.authenticationResults());
    }

    @Test
    void mxServfail_underReport_isRecorded() {
        InboundVerdict verdict = check(SigningPolicyMode.REPORT, "alice@broken.example", message("alice@broken.example"));
        assertEquals(InboundVerdict.Action.ACCEPT, verdict.action());
        assertTrue(verdict.authenticationResults().contains("policy.xkeys-signing=temperror (cannot look up the MX hosts "
                + "of broken.example: type=MX: SERVFAIL"), verdict.authenticationResults());
    }

    @Test
    void mxServfail_underEnforce_defersAnUnsignedMessage() {
        InboundVerdict verdict = check(SigningPolicyMode.ENFORCE, "alice@broken.example", message("alice@broken.example"));
        assertEquals(InboundVerdict.Action.DEFER, verdict.action());
        assertTrue(verdict.reply().startsWith("451 4.7.0 Error: cannot look up the MX hosts of broken.example now"),
                verdict.reply());
    }

    @Test
    void mxServfail_forADomainNoHeldKeySetNames_saysNothing_evenUnderEnforce() {
        InboundVerdict verdict = check(SigningPolicyMode.ENFORCE, "alice@unpinned-broken.example",
                message("alice@unpinned-broken.example"));
        assertEquals(InboundVerdict.Action.ACCEPT, verdict.action(), verdict.reply());
        assertFalse(verdict.authenticationResults().contains("xkeys"), verdict.authenticationResults());
    }

    @Test
    void aPinStoreOpenedAgain_stillKnowsWhichDomainsItsKeySetsName() throws Exception {
        pins.close();
        pins = new PinStore(new DurableStore(dir));
        assertTrue(pins.namesDkimDomain("Pinned.Example"));
        assertFalse(pins.namesDkimDomain("nopin.example"));
        InboundVerdict verdict = check(SigningPolicyMode.ENFORCE, "alice@pinned.example", message("alice@pinned.example"));
        assertEquals(InboundVerdict.Action.REJECT, verdict.action(), verdict.authenticationResults());
    }

    @Test
    void off_looksAtNoPin() {
        InboundVerdict verdict = check(SigningPolicyMode.OFF, "alice@pinned.example", message("alice@pinned.example"));
        assertEquals(InboundVerdict.Action.ACCEPT, verdict.action());
        assertFalse(verdict.authenticationResults().contains("xkeys"), verdict.authenticationResults());
    }

    private static GeneratedKey key() {
        try {
            return DkimKeys.generate(KeyType.ED25519, 0);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
