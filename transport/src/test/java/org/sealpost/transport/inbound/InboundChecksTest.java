package org.sealpost.transport.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sealpost.signing.arc.ArcResult;
import org.sealpost.signing.arc.ArcSealer;
import org.sealpost.signing.arc.ArcVerifier;
import org.sealpost.signing.arc.TrustedSealers;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.DkimSigner;
import org.sealpost.signing.dkim.DkimVerifier;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.SigningKey;
import org.sealpost.signing.dkim2.Dkim2Envelope;
import org.sealpost.signing.dkim2.Dkim2Key;
import org.sealpost.signing.dkim2.Dkim2SignOptions;
import org.sealpost.signing.dkim2.Dkim2Signer;
import org.sealpost.signing.dkim2.Dkim2Verifier;
import org.sealpost.signing.dmarc.DmarcEvaluator;
import org.sealpost.signing.spf.SpfChecker;
import org.sealpost.signing.spf.SpfDns;
import org.sealpost.transport.queue.BodyType;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.queue.Recipient;
import org.sealpost.transport.smtp.server.MessageFilter;

/** The inbound step over a test zone: SPF, DKIM, ARC and DMARC into one verdict and one Authentication-Results field. */
class InboundChecksTest {

    private static final GeneratedKey KEY = key();
    /** The key of the mailing list's ARC seals. */
    private static final GeneratedKey LIST_KEY = key();
    private static final InetAddress LIST = address("203.0.113.5");
    private static final InetAddress GOOD = address("192.0.2.1");
    private static final InetAddress FORGER = address("198.51.100.7");

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

    private static final TxtZone ZONE = new TxtZone(Map.of(
            "example.org", "v=spf1 ip4:192.0.2.1 -all",
            "_dmarc.example.org", "v=DMARC1; p=reject",
            "s1._domainkey.example.org", KEY.txtRecord(),
            "held.example", "v=spf1 ip4:192.0.2.1 -all",
            "_dmarc.held.example", "v=DMARC1; p=quarantine",
            "relaxed.example", "v=spf1 -all",
            "_dmarc.relaxed.example", "v=DMARC1; p=none",
            "arc._domainkey.list.example", LIST_KEY.txtRecord(),
            "list.example", "v=spf1 ip4:203.0.113.5 -all"),
            Set.of("_dmarc.tempfail.example", "tempfail.example"));

    private static InboundChecks checks(DmarcMode mode) {
        return checks(mode, List.of());
    }

    private static InboundChecks checks(DmarcMode mode, List<String> trustedSealers) {
        return new InboundChecks(new SpfChecker(SpfDns.over(ZONE), "mx.example.test", Clock.systemUTC()),
                new DkimVerifier(ZONE), new ArcVerifier(ZONE), new DmarcEvaluator(ZONE), new TrustedSealers(trustedSealers),
                "mx.example.test", mode);
    }

    /**
     * A message signed by example.org (p=reject) as a mailing list passes it on: the list records what it
     * found ({@code listResults}), tags the subject (which breaks the DKIM signature) and seals (RFC 8617 5.1).
     */
    private static String throughTheList(String listResults) {
        String original = signed("From: Alice <alice@example.org>\r\nTo: list@list.example\r\nSubject: hi\r\n\r\n"
                + "body\r\n");
        String rewritten = original.replace("Subject: hi", "Subject: [list] hi");
        byte[] bytes = rewritten.getBytes(StandardCharsets.UTF_8);
        ArcResult arriving = new ArcVerifier(ZONE).verify(bytes).join();
        String seal = new ArcSealer(SigningKey.of("list.example", "arc", LIST_KEY.privateKey()))
                .seal(bytes, arriving, "lists.list.example; " + listResults + "; " + arriving.toAuthenticationResults());
        return seal + rewritten;
    }

    private static final String LIST_SAW_PASS = "dkim=pass header.d=example.org; dmarc=pass header.from=example.org";

    @Test
    void arcChain_isValidated_andItsResultIsInTheField() {
        InboundVerdict verdict = checks(DmarcMode.ENFORCE).check(LIST, "mail.list.example", "list-bounces@list.example",
                throughTheList(LIST_SAW_PASS).getBytes(StandardCharsets.UTF_8)).join();
        String line = verdict.authenticationResults();
        assertTrue(line.contains("; dkim=fail header.d=example.org"), line);
        assertTrue(line.contains("; arc=pass (i=1 d=list.example) header.oldest-pass=0; "), line);
        assertEquals(InboundVerdict.Action.REJECT, verdict.action(), "no sealer is trusted");
        assertTrue(line.contains("dmarc=fail (p=reject dis=reject) header.from=example.org"), line);
    }

    @Test
    void brokenArcChain_isArcFail_withTheReason() {
        String message = throughTheList(LIST_SAW_PASS).replace("body", "bodY");
        InboundVerdict verdict = checks(DmarcMode.ENFORCE, List.of("list.example")).check(LIST, "mail.list.example",
                "list-bounces@list.example", message.getBytes(StandardCharsets.UTF_8)).join();
        String line = verdict.authenticationResults();
        assertTrue(line.contains("; arc=fail (") && line.contains("ARC-Message-Signature"), line);
        assertEquals(InboundVerdict.Action.REJECT, verdict.action(), "a failing chain rescues nothing");
    }

    @Test
    void trustedListThatSawDmarcPass_rescuesTheDmarcFailure() {
        InboundVerdict verdict = checks(DmarcMode.ENFORCE, List.of("list.example")).check(LIST, "mail.list.example",
                "list-bounces@list.example", throughTheList(LIST_SAW_PASS).getBytes(StandardCharsets.UTF_8)).join();
        assertEquals(InboundVerdict.Action.ACCEPT, verdict.action());
        assertEquals("verdict: accept", verdict.verdictLine());
        assertTrue(verdict.authenticationResults().endsWith("; arc=pass (i=1 d=list.example) header.oldest-pass=0; "
                + "dmarc=fail (p=reject dis=none; overridden by trusted ARC sealer list.example) header.from=example.org"),
                verdict.authenticationResults());
        assertEquals(1, verdict.outcome().additions().prepend().size(), "no quarantine marker");
    }

    @Test
    void trustedListThatSawDmarcFail_rescuesNothing() {
        InboundVerdict verdict = checks(DmarcMode.ENFORCE, List.of("list.example")).check(LIST, "mail.list.example",
                "list-bounces@list.example", throughTheList("dkim=fail header.d=example.org; dmarc=fail header.from="
                        + "example.org").getBytes(StandardCharsets.UTF_8)).join();
        assertTrue(verdict.authenticationResults().contains("arc=pass"), verdict.authenticationResults());
        assertEquals(InboundVerdict.Action.REJECT, verdict.action());
    }


    private static String signed(String message) {
        try {
            return new DkimSigner(SigningKey.of("example.org", "s1", KEY.privateKey()))
                    .sign(message.getBytes(StandardCharsets.UTF_8)) + message;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static InboundVerdict check(InetAddress client, String sender, String message) {
        return checks(DmarcMode.ENFORCE).check(client, "mail.example.org", sender, message.getBytes(StandardCharsets.UTF_8))
                .join();
    }

    @Test
    void signedMessageFromItsDomain_passesEveryCheck_andIsAccepted() {
        InboundVerdict verdict = check(GOOD, "alice@example.org",
                signed("From: Alice <alice@example.org>\r\nSubject: hi\r\n\r\nbody\r\n"));
        assertEquals(InboundVerdict.Action.ACCEPT, verdict.action());
        String line = verdict.authenticationResults();
        assertTrue(line.startsWith("Authentication-Results: mx.example.test; spf=pass "), line);
        assertTrue(line.contains(" smtp.mailfrom=alice@example.org; dkim=pass header.d=example.org header.s=s1"), line);
        assertTrue(line.contains("header.b="), line);
        assertTrue(line.contains("key SECURE"), line);
        assertTrue(line.contains("; arc=none; dmarc=pass (p=reject dis=none) header.from=example.org"), line);
        assertEquals("verdict: accept", verdict.verdictLine());
        MessageFilter.Outcome outcome = verdict.outcome();
        assertTrue(outcome.additions().prepend().get(0).startsWith("Authentication-Results: mx.example.test;\r\n\tspf=pass"),
                outcome.additions().prepend().get(0));
        assertEquals(4, outcome.additions().results().size(), outcome.additions().results().toString());
    }

    @Test
    void forgedFromOfARejectDomain_isRefusedWith550_namingTheDomain() {
        InboundVerdict verdict = check(FORGER, "alice@example.org", "From: alice@example.org\r\n\r\nbody\r\n");
        assertEquals(InboundVerdict.Action.REJECT, verdict.action());
        assertTrue(verdict.reply().startsWith("550 5.7.1 "), verdict.reply());
        assertTrue(verdict.reply().contains("example.org") && verdict.reply().contains("p=reject"), verdict.reply());
        assertTrue(verdict.authenticationResults().contains("spf=fail"), verdict.authenticationResults());
        assertTrue(verdict.authenticationResults().contains("dkim=none"), verdict.authenticationResults());
        assertTrue(verdict.authenticationResults().contains("dmarc=fail (p=reject dis=reject) header.from=example.org"));
        assertEquals("550 5.7.1", verdict.outcome().refusal().substring(0, 9));
    }

    @Test
    void tamperedSignature_failsDkim_andDmarcRejects() {
        String message = signed("From: alice@example.org\r\n\r\nbody\r\n").replace("body", "bodY");
        InboundVerdict verdict = check(FORGER, "bounce@other.example", message);
        assertTrue(verdict.authenticationResults().contains("dkim=fail header.d=example.org"));
        assertEquals(InboundVerdict.Action.REJECT, verdict.action());
    }

    @Test
    void quarantinePolicy_acceptsAndMarksTheMessage() {
        InboundVerdict verdict = check(FORGER, "bob@held.example", "From: bob@held.example\r\n\r\nbody\r\n");
        assertEquals(InboundVerdict.Action.QUARANTINE, verdict.action());
        assertEquals("verdict: quarantine", verdict.verdictLine());
        List<String> prepend = verdict.outcome().additions().prepend();
        assertEquals("X-Sealpost-Quarantine: dmarc p=quarantine dis=quarantine header.from=held.example\r\n", prepend.get(1));
    }

    @Test
    void servfailOnThePolicy_defersWith451() {
        InboundVerdict verdict = check(FORGER, "carol@tempfail.example", "From: carol@tempfail.example\r\n\r\nbody\r\n");
        assertEquals(InboundVerdict.Action.DEFER, verdict.action());
        assertTrue(verdict.reply().startsWith("451 4.7.0 "), verdict.reply());
        assertTrue(verdict.verdictLine().startsWith("verdict: defer 451 4.7.0 "), verdict.verdictLine());
        assertTrue(verdict.authenticationResults().contains("dmarc=temperror"), verdict.authenticationResults());
    }

    @Test
    void pNone_failureIsOnlyRecorded() {
        InboundVerdict verdict = check(FORGER, "dan@relaxed.example", "From: dan@relaxed.example\r\n\r\nbody\r\n");
        assertEquals(InboundVerdict.Action.ACCEPT, verdict.action());
        assertTrue(verdict.authenticationResults().contains("dmarc=fail (p=none dis=none) header.from=relaxed.example"));
    }

    @Test
    void nullSender_isCheckedWithTheHeloIdentity() {
        InboundVerdict verdict = checks(DmarcMode.ENFORCE).check(GOOD, "example.org", "",
                signed("From: alice@example.org\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8)).join();
        assertTrue(verdict.authenticationResults().contains("spf=pass") && verdict.authenticationResults()
                .contains(" smtp.helo=example.org;"), verdict.authenticationResults());
        assertEquals(InboundVerdict.Action.ACCEPT, verdict.action());
    }

    @Test
    void noFromField_orTwo_isRefusedWith550_5_6_0() {
        InboundVerdict none = check(GOOD, "alice@example.org", "Subject: x\r\n\r\nbody\r\n");
        assertTrue(none.reply().startsWith("550 5.6.0 "), none.reply());
        InboundVerdict two = check(GOOD, "alice@example.org", "From: a@example.org\r\nFrom: b@example.org\r\n\r\nbody\r\n");
        assertEquals(InboundVerdict.Action.REJECT, two.action());
        assertTrue(two.reply().startsWith("550 5.6.0 ") && two.reply().contains("has 2"), two.reply());
    }

    @Test
    void severalFromDomains_theStrictestApplies() {
        InboundVerdict verdict = check(GOOD, "alice@example.org",
                signed("From: alice@example.org, bob@held.example\r\n\r\nbody\r\n"));
        assertEquals(InboundVerdict.Action.QUARANTINE, verdict.action());
        assertTrue(verdict.authenticationResults().contains("dmarc=pass (p=reject dis=none) header.from=example.org; "
                + "dmarc=fail (p=quarantine dis=quarantine) header.from=held.example"), verdict.authenticationResults());
    }

    @Test
    void reportMode_refusesNothing_butSaysWhatEnforceWouldHaveDone() {
        InboundVerdict verdict = checks(DmarcMode.REPORT).check(FORGER, "mail.example.org", "alice@example.org",
                "From: alice@example.org\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8)).join();
        assertEquals(InboundVerdict.Action.ACCEPT, verdict.action());
        assertTrue(verdict.authenticationResults().contains(
                "dmarc=fail (p=reject dis=none; dmarc_policy=report, would reject) header.from=example.org"),
                verdict.authenticationResults());
        assertTrue(verdict.reportOnly().startsWith("reject 550 5.7.1"), verdict.reportOnly());
        InboundVerdict held = checks(DmarcMode.REPORT).check(FORGER, "mail.example.org", "bob@held.example",
                "From: bob@held.example\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8)).join();
        assertEquals(1, held.outcome().additions().prepend().size(), "no quarantine marker under report");
    }

    @Test
    void arrivingResultsClaimingOurId_areRemoved_othersStay_evenInALargeHeader() {
        StringBuilder header = new StringBuilder("Received: from a\r\n");
        for (int i = 0; i < 8000; i++) {
            header.append("X-Filler-").append(i).append(": ").append("x".repeat(50)).append("\r\n");
        }
        header.append("Authentication-Results: MX.Example.Test; dkim=pass header.d=example.org\r\n")
                .append("Authentication-Results: (forged) mx.example.test;\r\n\tspf=pass smtp.mailfrom=a@example.org\r\n")
                .append("Authentication-Results: other.example; spf=fail smtp.mailfrom=a@example.org\r\n")
                .append("X-Sealpost-Quarantine: none\r\n")
                .append("From: alice@example.org\r\n\r\n");
        MessageFilter.Run run = checks(DmarcMode.ENFORCE).begin(GOOD, "mail.example.org", "alice@example.org")
                .start("Q1", null, "");
        byte[] section = header.toString().getBytes(StandardCharsets.UTF_8);
        run.accept(ByteBuffer.wrap(section));
        String stored = new String(run.header(section), StandardCharsets.UTF_8);
        assertFalse(stored.contains("MX.Example.Test"), "a claim in another case is ours too (RFC 8601 5)");
        assertFalse(stored.contains("(forged)"));
        assertFalse(stored.contains("X-Sealpost-Quarantine"));
        assertTrue(stored.contains("Authentication-Results: other.example; spf=fail"));
        assertTrue(stored.contains("X-Filler-7999: ") && stored.startsWith("Received: from a\r\n"));
        assertTrue(stored.endsWith("From: alice@example.org\r\n\r\n"));
        int dropped = ("Authentication-Results: MX.Example.Test; dkim=pass header.d=example.org\r\n"
                + "Authentication-Results: (forged) mx.example.test;\r\n\tspf=pass smtp.mailfrom=a@example.org\r\n"
                + "X-Sealpost-Quarantine: none\r\n").length();
        assertEquals(section.length - dropped, stored.length(), "every other octet stays");
    }

    @Test
    void claims_readsTheAuthservIdAfterComments_andNotSomethingLater() {
        assertTrue(AuthenticationResults.claims("mx.example.test; none", "mx.example.test"));
        assertTrue(AuthenticationResults.claims("(c (nested)) mx.example.test 1; none", "MX.EXAMPLE.TEST"));
        assertTrue(AuthenticationResults.claims("\"mx.example.test\"; none", "mx.example.test"));
        assertFalse(AuthenticationResults.claims("other.example; spf=pass smtp.helo=mx.example.test", "mx.example.test"));
        assertFalse(AuthenticationResults.claims("mx.example.test.evil; none", "mx.example.test"));
    }

    @Test
    void comments_areEscaped_andPrintableAscii() {
        assertEquals("(a\\(b\\) ?\\\\ ?)", AuthenticationResults.comment("a(b) \u00e9\\ \r"));
    }

    @Test
    void quotedLocalPart_cannotWriteIntoTheField() {
        assertEquals("@example.org", Findings.mailbox("\"a; dkim=pass\"@example.org"));
        assertEquals("alice@example.org", Findings.mailbox("alice@example.org"));
        assertEquals("\"bad helo (x); y\"", Findings.value("bad helo (x); y"));
    }

    /** The same zone's checks with DKIM2 verification on, keys from the zone. */
    private static InboundChecks withDkim2() {
        return new InboundChecks(new SpfChecker(SpfDns.over(ZONE), "mx.example.test", Clock.systemUTC()),
                new DkimVerifier(ZONE), new ArcVerifier(ZONE), new DmarcEvaluator(ZONE), new TrustedSealers(List.of()),
                "mx.example.test", DmarcMode.ENFORCE, null, SigningPolicyMode.OFF,
                org.sealpost.transport.metrics.Metrics.none(), new Dkim2Verifier(ZONE));
    }

    /** A message DKIM2-signed by example.org for MAIL FROM alice@example.org and RCPT TO the given recipients. */
    private static byte[] dkim2Signed(String... rcptTo) throws Exception {
        return dkim2Signed(Dkim2SignOptions.forEnvelope(Dkim2Envelope.of("alice@example.org", rcptTo)));
    }

    /** The same message DKIM2-signed by example.org with these options. */
    private static byte[] dkim2Signed(Dkim2SignOptions options) throws Exception {
        byte[] message = ("From: alice@example.org\r\nTo: bob@example.net\r\nSubject: custody\r\n"
                + "Date: Tue, 01 Dec 2026 08:00:00 +0000\r\n\r\nHello.\r\n").getBytes(StandardCharsets.UTF_8);
        String fields = new Dkim2Signer(List.of(Dkim2Key.of(new SigningKey("example.org", "s1", KeyType.ED25519,
                KEY.privateKey())))).sign(message, options);
        byte[] prefix = fields.getBytes(StandardCharsets.US_ASCII);
        byte[] signed = java.util.Arrays.copyOf(prefix, prefix.length + message.length);
        System.arraycopy(message, 0, signed, prefix.length, message.length);
        return signed;
    }

    /** What the mx listener's inbound step writes for a message arriving with this envelope. */
    private static String authenticationResults(byte[] message, String sender, String... recipients) throws Exception {
        Envelope envelope = new Envelope(sender, java.util.Arrays.stream(recipients).map(Recipient::of).toList(),
                BodyType.SEVEN_BIT, false, "", "", new Envelope.ClientInfo("192.0.2.1", "mail.example.org", "ESMTPS", "",
                        "", "mx"), java.time.Instant.now());
        MessageFilter.Run run = withDkim2().begin(GOOD, "mail.example.org", sender).start("Q1", envelope, "");
        run.accept(ByteBuffer.wrap(message));
        int end = new String(message, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4;
        run.header(java.util.Arrays.copyOf(message, end));
        return run.finish().get().additions().prepend().get(0);
    }

    @Test
    void dkim2_passesForTheEnvelopeItWasSignedFor_andAReplayToAnotherRecipientIsAPermerror() throws Exception {
        byte[] signed = dkim2Signed("bob@example.net", "carol@example.net");
        String passed = authenticationResults(signed, "alice@example.org", "bob@example.net");
        assertTrue(passed.contains("\tdkim2=pass (i=1 example.org pass) header.d=example.org;\r\n"), passed);

        String replayed = authenticationResults(signed, "alice@example.org", "mallory@example.net");
        assertTrue(replayed.contains("\tdkim2=permerror (i=1 example.org permerror; "), replayed);
        assertTrue(replayed.contains("mallory@example.net") && replayed.contains(" header.d=example.org header.i=1;"),
                replayed);

        String otherSender = authenticationResults(signed, "bounce@example.org", "bob@example.net");
        assertTrue(otherSender.contains("dkim2=permerror") && otherSender.contains("MAIL FROM <bounce@example.org> did not"),
                otherSender);

        String unsigned = authenticationResults(("From: alice@example.org\r\nSubject: none\r\n\r\nHi.\r\n")
                .getBytes(StandardCharsets.UTF_8), "alice@example.org", "bob@example.net");
        assertTrue(unsigned.contains("\tdkim2=none;\r\n"), unsigned);
    }

    @Test
    void dkim2_aChangedHeaderField_failsTheNewestHash() throws Exception {
        String signed = new String(dkim2Signed("bob@example.net"), StandardCharsets.ISO_8859_1)
                .replace("Subject: custody", "Subject: [EXT] custody");
        String changed = authenticationResults(signed.getBytes(StandardCharsets.ISO_8859_1), "alice@example.org",
                "bob@example.net");
        assertTrue(changed.contains("\tdkim2=fail (i=1 example.org fail; FAIL: Message Instance m=1 header hash sha256 mismatch)"
                + " header.d=example.org header.i=1;"), changed);
    }

    /** Checks with DKIM2 verification and a memory of the transmissions queued, whose time the test moves. */
    private static InboundChecks withDuplicates(Dkim2Duplicates duplicates) {
        return new InboundChecks(new SpfChecker(SpfDns.over(ZONE), "mx.example.test", Clock.systemUTC()),
                new DkimVerifier(ZONE), new ArcVerifier(ZONE), new DmarcEvaluator(ZONE), new TrustedSealers(List.of()),
                "mx.example.test", DmarcMode.ENFORCE, null, SigningPolicyMode.OFF,
                org.sealpost.transport.metrics.Metrics.none(), new Dkim2Verifier(ZONE), duplicates);
    }

    /** Moved by hand: the clock of the duplicate memory. */
    private static final class Hands implements com.github.benmanes.caffeine.cache.Ticker {
        private long nanos;

        @Override
        public long read() {
            return nanos;
        }

        void advance(java.time.Duration by) {
            nanos += by.toNanos();
        }
    }

    /**
     * One arrival as the session runs it: the checks decide, and an accepted message is queued (when
     * {@code queues}) as Reception tells the filter. Returns the Authentication-Results field, or the refusal.
     */
    private static String arrive(InboundChecks checks, InetAddress client, byte[] message, boolean queues,
            String... recipients) throws Exception {
        Envelope envelope = new Envelope("alice@example.org", java.util.Arrays.stream(recipients).map(Recipient::of)
                .toList(), BodyType.SEVEN_BIT, false, "", "", new Envelope.ClientInfo(client.getHostAddress(),
                        "mail.example.org", "ESMTPS", "", "", "mx"), java.time.Instant.now());
        MessageFilter.Run run = checks.begin(client, "mail.example.org", "alice@example.org").start("Q1", envelope, "");
        run.accept(ByteBuffer.wrap(message));
        int end = new String(message, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4;
        run.header(java.util.Arrays.copyOf(message, end));
        MessageFilter.Outcome outcome = run.finish().get();
        if (outcome.refusal() != null) {
            return outcome.refusal();
        }
        if (queues) {
            run.queued();
        }
        return outcome.additions().prepend().get(0);
    }

    private static final String DUPLICATE = "\tdkim2=fail (i=1 example.org pass; FAIL: Duplicate message with no exploded"
            + " flag) header.d=example.org header.i=1;\r\n";
    private static final String PASS = "\tdkim2=pass (i=1 example.org pass) header.d=example.org;\r\n";

    @Test
    void dkim2_theSameSignedTransactionTwice_theSecondIsADuplicate_reportedNotRefused() throws Exception {
        InboundChecks checks = withDuplicates(new Dkim2Duplicates(java.time.Duration.ofDays(14)));
        byte[] signed = dkim2Signed("bob@example.net", "carol@example.net");

        String first = arrive(checks, GOOD, signed, true, "bob@example.net", "carol@example.net");
        String second = arrive(checks, GOOD, signed, true, "carol@example.net", "bob@example.net");
        String third = arrive(checks, GOOD, signed, true, "bob@example.net", "carol@example.net");

        assertTrue(first.contains(PASS), first);
        assertTrue(second.startsWith("Authentication-Results: ") && second.contains(DUPLICATE), second);
        assertTrue(second.contains("dmarc=pass"), "the rest of the verdict is untouched: " + second);
        assertTrue(third.contains(DUPLICATE), "every later copy is one: " + third);
    }

    @Test
    void dkim2_theSameSignatureToAnotherRecipientSet_isNoDuplicate() throws Exception {
        InboundChecks checks = withDuplicates(new Dkim2Duplicates(java.time.Duration.ofDays(14)));
        byte[] signed = dkim2Signed("bob@example.net", "carol@example.net");

        assertTrue(arrive(checks, GOOD, signed, true, "bob@example.net", "carol@example.net").contains(PASS));
        // One transaction per recipient of the signature: each its own envelope.
        String toBob = arrive(checks, GOOD, signed, true, "bob@example.net");
        String toCarol = arrive(checks, GOOD, signed, true, "carol@example.net");
        // A recipient it was not signed for: the replay check's permerror, not a duplicate.
        String replayed = arrive(checks, GOOD, signed, true, "mallory@example.net");

        assertTrue(toBob.contains(PASS), toBob);
        assertTrue(toCarol.contains(PASS), toCarol);
        assertTrue(replayed.contains("\tdkim2=permerror (i=1 example.org permerror; PERMERROR: DKIM2-Signature i=1 RCPT TO"
                + " <mallory@example.net> did not match)"), replayed);
        String replayedAgain = arrive(checks, GOOD, signed, true, "mallory@example.net");
        assertFalse(replayedAgain.contains("Duplicate"), "only a chain that passed is remembered: " + replayedAgain);
    }

    @Test
    void dkim2_theSameMessageSignedAgain_isNoDuplicate() throws Exception {
        InboundChecks checks = withDuplicates(new Dkim2Duplicates(java.time.Duration.ofDays(14)));
        Dkim2SignOptions toBob = Dkim2SignOptions.forEnvelope(Dkim2Envelope.of("alice@example.org", "bob@example.net"));
        long now = java.time.Instant.now().getEpochSecond();
        // A retry a minute later is signed anew (another t=, another signature) over the same m=1 hashes.
        byte[] once = dkim2Signed(toBob.withTimestamp(now - 60));
        byte[] again = dkim2Signed(toBob.withTimestamp(now));

        assertTrue(arrive(checks, GOOD, once, true, "bob@example.net").contains(PASS));
        String retried = arrive(checks, GOOD, again, true, "bob@example.net");
        assertTrue(retried.contains(PASS), retried);
    }

    @Test
    void dkim2_anExplodedMessage_isNotCheckedForCopies() throws Exception {
        InboundChecks checks = withDuplicates(new Dkim2Duplicates(java.time.Duration.ofDays(14)));
        byte[] signed = dkim2Signed(Dkim2SignOptions.forEnvelope(Dkim2Envelope.of("alice@example.org", "bob@example.net"))
                .withFlags(org.sealpost.signing.dkim2.Dkim2Wire.EXPLODED));

        String first = arrive(checks, GOOD, signed, true, "bob@example.net");
        String second = arrive(checks, GOOD, signed, true, "bob@example.net");

        assertTrue(first.contains(PASS), first);
        assertTrue(second.contains(PASS), second);
    }

    @Test
    void dkim2_aCopyRefusedOrNotQueued_doesNotMakeTheNextADuplicate() throws Exception {
        InboundChecks checks = withDuplicates(new Dkim2Duplicates(java.time.Duration.ofDays(14)));
        byte[] signed = dkim2Signed("bob@example.net");

        // From an address example.org's SPF does not list: DMARC (p=reject) refuses it.
        String refused = arrive(checks, FORGER, signed, true, "bob@example.net");
        // Accepted by the checks, but the queue could not take it (451): never queued.
        String unqueued = arrive(checks, GOOD, signed, false, "bob@example.net");
        String sentAgain = arrive(checks, GOOD, signed, true, "bob@example.net");

        assertTrue(refused.startsWith("550 5.7.1"), refused);
        assertTrue(unqueued.contains(PASS), unqueued);
        assertTrue(sentAgain.contains(PASS), sentAgain);
        assertTrue(arrive(checks, GOOD, signed, true, "bob@example.net").contains(DUPLICATE));
    }

    @Test
    void dkim2_aTransmissionIsForgottenAfterTheSignatureAge() throws Exception {
        Hands hands = new Hands();
        InboundChecks checks = withDuplicates(new Dkim2Duplicates(java.time.Duration.ofDays(14), 1000, hands));
        byte[] signed = dkim2Signed("bob@example.net");

        arrive(checks, GOOD, signed, true, "bob@example.net");
        hands.advance(java.time.Duration.ofDays(14).minusSeconds(1));
        assertTrue(arrive(checks, GOOD, signed, false, "bob@example.net").contains(DUPLICATE));
        hands.advance(java.time.Duration.ofSeconds(2));
        String later = arrive(checks, GOOD, signed, true, "bob@example.net");

        assertTrue(later.contains(PASS), later);
    }

    @Test
    void dkim2_withoutTheMemory_copiesPass() throws Exception {
        InboundChecks checks = withDuplicates(null);
        byte[] signed = dkim2Signed("bob@example.net");

        arrive(checks, GOOD, signed, true, "bob@example.net");
        assertTrue(arrive(checks, GOOD, signed, true, "bob@example.net").contains(PASS));
    }

    /** Our mx with DKIM2 on and the report check for example.org, whose mail it signs. */
    private static InboundChecks withReportCheck(boolean on) {
        return new InboundChecks(new SpfChecker(SpfDns.over(ZONE), "mx.example.test", Clock.systemUTC()),
                new DkimVerifier(ZONE), new ArcVerifier(ZONE), new DmarcEvaluator(ZONE), new TrustedSealers(List.of()),
                "mx.example.test", DmarcMode.ENFORCE, null, SigningPolicyMode.OFF,
                org.sealpost.transport.metrics.Metrics.none(), new Dkim2Verifier(ZONE), null,
                on ? new Dkim2Reports(ZONE, Set.of("example.org")) : null);
    }

    /** list.example's report to alice@example.org, returning {@code returned}, with its own DKIM2 chain (mf=<>). */
    private static byte[] reportFromTheList(String returned) throws Exception {
        byte[] report = ("From: MAILER-DAEMON@list.example\r\nTo: alice@example.org\r\nSubject: Undelivered Mail\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nNo such user.\r\n--b\r\nContent-Type: message/delivery-status\r\n"
                + "\r\nReporting-MTA: dns; mx.list.example\r\n\r\nFinal-Recipient: rfc822; bob@list.example\r\n"
                + "Action: failed\r\nStatus: 5.1.1\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n" + returned
                + "\r\n--b--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        String fields = new Dkim2Signer(List.of(Dkim2Key.of(new SigningKey("list.example", "arc", KeyType.ED25519,
                LIST_KEY.privateKey())))).sign(report, Dkim2SignOptions.forEnvelope(Dkim2Envelope.of("", "alice@example.org")));
        byte[] prefix = fields.getBytes(StandardCharsets.US_ASCII);
        byte[] signed = java.util.Arrays.copyOf(prefix, prefix.length + report.length);
        System.arraycopy(report, 0, signed, prefix.length, report.length);
        return signed;
    }

    private static MessageFilter.Outcome arrives(InboundChecks checks, byte[] message) throws Exception {
        Envelope envelope = new Envelope("", List.of(Recipient.of("alice@example.org")), BodyType.SEVEN_BIT, false, "", "",
                new Envelope.ClientInfo("203.0.113.5", "mx.list.example", "ESMTPS", "", "", "mx"), java.time.Instant.now());
        MessageFilter.Run run = checks.begin(LIST, "mx.list.example", "").start("Q1", envelope, "");
        run.accept(ByteBuffer.wrap(message));
        run.header(java.util.Arrays.copyOf(message, new String(message, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4));
        return run.finish().get();
    }

    @Test
    void dkim2Report_aboutAMessageWeSent_isAccepted() throws Exception {
        String ours = new String(dkim2Signed("bob@list.example"), StandardCharsets.ISO_8859_1);
        MessageFilter.Outcome outcome = arrives(withReportCheck(true), reportFromTheList(ours));
        assertEquals(null, outcome.refusal());
        assertTrue(outcome.additions().prepend().get(0).contains("dkim2=pass (i=1 list.example pass)"),
                outcome.additions().prepend().get(0));
    }

    @Test
    void dkim2Report_aboutAMessageWeDidNotSendSo_isRefused() throws Exception {
        String ours = new String(dkim2Signed("bob@list.example"), StandardCharsets.ISO_8859_1);
        MessageFilter.Outcome altered = arrives(withReportCheck(true), reportFromTheList(ours.replace("Subject: custody",
                "Subject: invoice")));
        assertTrue(altered.refusal().startsWith("550 5.7.1 ") && altered.refusal().contains("header hash sha256 mismatch")
                && altered.refusal().contains("12.1.2"), altered.refusal());
        // Sent to another domain than the one reporting on it: backscatter for a message list.example never had.
        String elsewhere = new String(dkim2Signed("bob@elsewhere.example"), StandardCharsets.ISO_8859_1);
        MessageFilter.Outcome notAligned = arrives(withReportCheck(true), reportFromTheList(elsewhere));
        assertTrue(notAligned.refusal().startsWith("550 5.7.1 ") && notAligned.refusal().contains("signed by list.example"),
                notAligned.refusal());
        assertEquals(null, arrives(withReportCheck(false), reportFromTheList(elsewhere)).refusal(), "the check is off");
    }
}
