package org.sealpost.transport.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sealpost.signing.arc.ArcResult;
import org.sealpost.signing.arc.ArcSealer;
import org.sealpost.signing.arc.ArcStatus;
import org.sealpost.signing.arc.ArcVerifier;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.SigningKey;
import org.sealpost.transport.smtp.server.MessageFilter;
import org.slf4j.LoggerFactory;

/** Sealing on the submission path: which messages get our set, its i= and cv=, and that nothing is refused. */
class ArcForwardSealingTest {

    private static final String OURS = "mx.fwd.example";
    private static GeneratedKey fwdKey;
    private static GeneratedKey upstreamKey;

    private final Map<String, String> txt = new HashMap<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ArcForwardSealing.class);

    private static final String MESSAGE = "From: Alice <alice@origin.example>\r\nTo: bob@fwd.example\r\nSubject: hi\r\n"
            + "Date: Tue, 1 Dec 2026 08:00:00 +0000\r\nMessage-ID: <1@origin.example>\r\n\r\nHello.\r\n";

    @BeforeAll
    static void keys() throws Exception {
        fwdKey = DkimKeys.generate(KeyType.RSA, 2048);
        upstreamKey = DkimKeys.generate(KeyType.RSA, 2048);
    }

    @BeforeEach
    void capture() {
        txt.put("arc._domainkey.fwd.example", fwdKey.txtRecord());
        txt.put("up._domainkey.upstream.example", upstreamKey.txtRecord());
        log.start();
        logger.addAppender(log);
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void release() {
        logger.detachAppender(log);
        logger.setLevel(null);
    }

    private static ArcForwardSealing filter(Executor crypto) {
        return new ArcForwardSealing(SigningKey.of("fwd.example", "arc", fwdKey.privateKey()), OURS, crypto);
    }

    /** Feeds the message in pieces of {@code piece} octets and returns the outcome. */
    private static MessageFilter.Outcome run(ArcForwardSealing filter, String message, int piece) {
        MessageFilter.Run run = filter.start("Q1", null, "");
        byte[] octets = message.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < octets.length; i += piece) {
            run.accept(ByteBuffer.wrap(octets, i, Math.min(piece, octets.length - i)));
        }
        return run.finish().join();
    }

    private static MessageFilter.Outcome run(String message) {
        return run(filter(Runnable::run), message, 7);
    }

    private ArcResult verify(String message) {
        return new ArcVerifier(new StaticTxt(txt)).verify(message.getBytes(StandardCharsets.UTF_8)).join();
    }

    private List<String> lines() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** The A-R our mx listener writes, folded as it writes it. */
    private static String ours(String arc) {
        return "Authentication-Results: " + OURS + ";\r\n\tspf=pass smtp.mailfrom=alice@origin.example;\r\n\t" + arc
                + ";\r\n\tdmarc=pass (p=reject dis=none) header.from=origin.example\r\n";
    }

    /** The message as an upstream sealer sent it: its A-R, then its set. */
    private static String sealedUpstream(String message) {
        ArcSealer upstream = new ArcSealer(SigningKey.of("upstream.example", "up", upstreamKey.privateKey()));
        ArcResult none = new ArcResult(ArcStatus.NONE, "no ARC sets", false, 0, List.of());
        return upstream.seal(message.getBytes(StandardCharsets.UTF_8), none, "upstream.example; spf=pass") + message;
    }

    @Test
    void ourResults_noChain_sealsInstanceOne_cvNone_withOurResultsAsPayload() {
        String message = ours("arc=none") + MESSAGE;
        MessageFilter.Outcome outcome = run(message);
        assertNull(outcome.refusal());
        String fields = String.join("", outcome.additions().prepend());
        assertTrue(fields.startsWith("ARC-Seal: i=1; a=rsa-sha256; cv=none; d=fwd.example; s=arc;"), fields);
        ArcResult result = verify(fields + message);
        assertEquals(ArcStatus.PASS, result.status(), result.reason());
        assertEquals(OURS + ";\tspf=pass smtp.mailfrom=alice@origin.example;\tarc=none;\tdmarc=pass (p=reject dis=none)"
                + " header.from=origin.example", result.sets().get(0).authenticationResults());
        assertTrue(lines().contains("Q1: ARC-Seal added (i=1, cv=none, d=fwd.example, s=arc)"), lines().toString());
    }

    @Test
    void ourResults_onAChainThatPassed_sealsInstanceNPlusOne_cvPass_andTheChainPasses() {
        String message = ours("arc=pass (i=1 d=upstream.example) header.oldest-pass=0") + sealedUpstream(MESSAGE);
        MessageFilter.Outcome outcome = run(message);
        String fields = String.join("", outcome.additions().prepend());
        assertTrue(fields.startsWith("ARC-Seal: i=2; a=rsa-sha256; cv=pass; d=fwd.example; s=arc;"), fields);
        ArcResult result = verify(fields + message);
        assertEquals(ArcStatus.PASS, result.status(), result.reason());
        assertEquals(2, result.instances());
        assertTrue(lines().contains("Q1: ARC-Seal added (i=2, cv=pass, d=fwd.example, s=arc)"), lines().toString());
    }

    @Test
    void cvComesFromOurResults_notFromValidatingAgain() {
        // Our mx found the chain failed; the sets look sound now, but our seal must say what was found on arrival.
        String message = ours("arc=fail (body hash did not verify)") + sealedUpstream(MESSAGE);
        String fields = String.join("", run(message).additions().prepend());
        assertTrue(fields.startsWith("ARC-Seal: i=2; a=rsa-sha256; cv=fail;"), fields);
        assertEquals(ArcStatus.FAIL, verify(fields + message).status());
    }

    @Test
    void chainThatPassedOnArrival_butBrokenSince_isSealedCvFail() {
        String upstream = sealedUpstream(MESSAGE);
        String withoutSeal = upstream.replaceFirst("ARC-Seal: [^\r]*\r\n(?:[ \t][^\r]*\r\n)*", "");
        String message = ours("arc=pass header.oldest-pass=0") + withoutSeal;
        String fields = String.join("", run(message).additions().prepend());
        assertTrue(fields.startsWith("ARC-Seal: i=2; a=rsa-sha256; cv=fail;"), fields);
        String line = lines().get(lines().size() - 1);
        assertTrue(line.startsWith("Q1: ARC-Seal added (i=2, cv=fail, d=fwd.example, s=arc): the chain that passed on"
                + " arrival is no longer intact"), line);
    }

    @Test
    void topmostOfOurResults_isTheOneSealed() {
        String message = ours("arc=none") + "Authentication-Results: " + OURS + "; arc=pass\r\n" + MESSAGE;
        String fields = String.join("", run(message).additions().prepend());
        assertTrue(fields.contains("cv=none"), fields);
    }

    @Test
    void withoutOurResults_isNotSealed() {
        MessageFilter.Outcome outcome = run(MESSAGE);
        assertNull(outcome.refusal());
        assertEquals(List.of(), outcome.additions().prepend());
        assertEquals(List.of("Q1: not ARC-sealed: no Authentication-Results from " + OURS), lines());
    }

    @Test
    void resultsOfAnotherAuthservIdOnly_areNotSealed() {
        String message = "Authentication-Results: mx.other.example; arc=none; dmarc=pass header.from=origin.example\r\n"
                + "Authentication-Results: " + OURS + ".evil.example; arc=none\r\n" + MESSAGE;
        assertEquals(List.of(), run(message).additions().prepend());
    }

    @Test
    void arcSetAddedAboveOurResults_isNotSealed() {
        String message = sealedUpstream(ours("arc=none") + MESSAGE);
        assertEquals(List.of(), run(message).additions().prepend());
        assertTrue(lines().contains("Q1: not ARC-sealed: an ARC set above our Authentication-Results was added after our"
                + " checks"), lines().toString());
    }

    @Test
    void fiftySets_isNotSealed_butAccepted() {
        String fifty = sealedUpstream(MESSAGE).replace("i=1;", "i=50;");
        MessageFilter.Outcome outcome = run(ours("arc=fail (the chain has no ARC set i=1)") + fifty);
        assertNull(outcome.refusal());
        assertEquals(List.of(), outcome.additions().prepend());
        assertTrue(lines().contains("Q1: not ARC-sealed: the message already has 50 ARC sets, the most RFC 8617 4.2.1"
                + " allows"), lines().toString());
    }

    @Test
    void noFromField_failsTheSeal_butTheMessageGoesOnUnsealed() {
        String message = ours("arc=none") + "To: bob@fwd.example\r\n\r\nHello.\r\n";
        MessageFilter.Outcome outcome = run(message);
        assertNull(outcome.refusal());
        assertEquals(List.of(), outcome.additions().prepend());
        String line = lines().get(lines().size() - 1);
        assertTrue(line.startsWith("Q1: not ARC-sealed: cannot sign: the message has no From field"), line);
    }

    @Test
    void privateKeyFailure_isLoggedWithTheQueueId_andTheMessageGoesOnUnsealed() {
        // An RSA key claimed as Ed25519: the signature itself fails, at the end.
        SigningKey wrong = new SigningKey("fwd.example", "arc", KeyType.ED25519, fwdKey.privateKey());
        MessageFilter.Outcome outcome = run(new ArcForwardSealing(wrong, OURS, Runnable::run), ours("arc=none") + MESSAGE,
                4096);
        assertNull(outcome.refusal());
        assertEquals(List.of(), outcome.additions().prepend());
        String line = lines().get(lines().size() - 1);
        assertTrue(line.startsWith("warning: Q1: not ARC-sealed: ") && line.endsWith("; sent on unsealed"), line);
    }

    @Test
    void noThreadForTheSignature_isNotARefusal() {
        MessageFilter.Outcome outcome = run(filter(task -> {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }), ours("arc=none") + MESSAGE, 4096);
        assertNull(outcome.refusal());
        assertEquals(List.of(), outcome.additions().prepend());
    }
}
