package org.sealpost.transport.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.DkimResult;
import org.sealpost.signing.dkim.DkimVerifier;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.SigningKey;
import org.sealpost.signing.dkim.Verdict;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.sasl.SenderLogins;
import org.sealpost.transport.smtp.server.MessageFilter;

/** Signing on the submission path: which key, whose addresses, what is refused, and that it verifies. */
class DkimSigningTest {

    @TempDir
    Path dir;

    private final Map<String, String> txt = new HashMap<>();
    private DkimSigning signing;

    private DnsResolver dns() {
        return new StaticTxt(txt);
    }

    private SigningKey key(String domain, String selector, KeyType type) throws Exception {
        GeneratedKey generated = DkimKeys.generate(type, 2048);
        txt.put(selector + "._domainkey." + domain, generated.txtRecord());
        return SigningKey.of(domain, selector, generated.privateKey());
    }

    @BeforeEach
    void keys() throws Exception {
        Files.writeString(dir.resolve("logins"), "@example.net alice, bob\ncarol@example.net carol\n");
        signing = new DkimSigning(
                Map.of("example.net", List.of(key("example.net", "ed", KeyType.ED25519), key("example.net", "rsa", KeyType.RSA))),
                Map.of("carol@example.net", List.of(key("example.net", "carol", KeyType.ED25519))), false,
                SenderLogins.load(dir.resolve("logins")), Runnable::run);
    }

    private static Envelope envelope() {
        return null; // the signing filter does not read the envelope
    }

    /** Feeds the message in pieces of {@code piece} octets and returns the outcome. */
    private MessageFilter.Outcome run(String message, String login, int piece) {
        MessageFilter.Run run = signing.start("Q1", envelope(), login);
        byte[] octets = message.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < octets.length; i += piece) {
            run.accept(ByteBuffer.wrap(octets, i, Math.min(piece, octets.length - i)));
        }
        return run.finish().join();
    }

    private List<DkimResult> verify(MessageFilter.Outcome outcome, String message) {
        String signed = String.join("", outcome.additions().prepend()) + message;
        return new DkimVerifier(dns()).verify(signed.getBytes(StandardCharsets.UTF_8)).join();
    }

    private static final String MESSAGE = "From: Alice <alice@example.net>\r\nTo: bob@example.org\r\nSubject: hi\r\n"
            + "Date: Tue, 1 Dec 2026 08:00:00 +0000\r\n\r\nHello.\r\n";

    @Test
    void trustedClientWithoutLogin_isSignedWithBothKeys_whateverTheChunking() {
        for (int piece : new int[] {1, 7, 64 * 1024}) {
            MessageFilter.Outcome outcome = run(MESSAGE, "", piece);
            assertNull(outcome.refusal());
            List<DkimResult> results = verify(outcome, MESSAGE);
            assertEquals(2, results.size(), results.toString());
            assertTrue(results.stream().allMatch(r -> r.verdict() == Verdict.PASS), results.toString());
            assertEquals(List.of("ed", "rsa"), results.stream().map(DkimResult::selector).toList());
        }
    }

    @Test
    void loginOwningTheFromAddress_isSigned_andOneThatDoesNot_isRefused() {
        assertNull(run(MESSAGE, "bob", 100).refusal());
        MessageFilter.Outcome refused = run(MESSAGE, "mallory", 100);
        assertEquals("550 5.7.1 <alice@example.net>: From address not owned by user mallory; not signed", refused.refusal());
        assertTrue(refused.additions().prepend().isEmpty());
    }

    @Test
    void perUserKey_carriesItsSelectorAndIdentity() {
        String message = MESSAGE.replace("Alice <alice@example.net>", "carol@example.net");
        List<DkimResult> results = verify(run(message, "carol", 100), message);
        assertEquals(1, results.size());
        assertEquals("carol", results.get(0).selector());
        assertEquals("carol@example.net", results.get(0).identity());
        assertEquals(Verdict.PASS, results.get(0).verdict());
    }

    @Test
    void otherDomain_passesUnsigned() {
        String message = MESSAGE.replace("alice@example.net", "alice@elsewhere.test");
        MessageFilter.Outcome outcome = run(message, "alice", 100);
        assertNull(outcome.refusal());
        assertTrue(outcome.additions().prepend().isEmpty());
    }

    @Test
    void twoFromAddresses_inASignedDomain_areRefused() {
        String message = MESSAGE.replace("From: Alice <alice@example.net>", "From: alice@example.net, eve@example.net");
        assertTrue(run(message, "", 100).refusal().startsWith("550 5.7.1"));
        String twoFields = "From: alice@example.net\r\n" + MESSAGE;
        assertTrue(run(twoFields, "", 100).refusal().startsWith("550 5.7.1"));
    }

    @Test
    void changedBody_afterSigning_fails() {
        MessageFilter.Outcome outcome = run(MESSAGE, "", 100);
        List<DkimResult> results = verify(outcome, MESSAGE.replace("Hello.", "Hallo."));
        assertTrue(results.stream().allMatch(r -> r.verdict() == Verdict.FAIL), results.toString());
    }

    @Test
    void fromAddresses_areTakenFromEveryForm() {
        assertEquals(List.of("a@example.net"), FromAddresses.of(" \"Doe, A\" <A@Example.net>"));
        assertEquals(List.of("a@example.net", "b@example.org"), FromAddresses.of(" a@example.net (A), B <b@example.org>"));
        assertEquals(List.of(), FromAddresses.of(" undisclosed"));
    }
}
