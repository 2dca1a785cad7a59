package org.sealpost.transport.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.SigningKey;
import org.sealpost.signing.dkim2.Dkim2Envelope;
import org.sealpost.signing.dkim2.Dkim2Key;
import org.sealpost.signing.dkim2.Dkim2Result;
import org.sealpost.signing.dkim2.Dkim2Signer;
import org.sealpost.signing.dkim2.Dkim2Verdict;
import org.sealpost.signing.dkim2.Dkim2Verifier;
import org.sealpost.transport.queue.BodyType;
import org.sealpost.transport.queue.Deliverer;
import org.sealpost.transport.queue.DeliveryStatus;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.queue.QueuedMessage;
import org.sealpost.transport.queue.Recipient;
import org.sealpost.transport.queue.RecipientResult;

/**
 * The DKIM2 fields between the queue and the SMTP client: what the next deliverer gets verifies for
 * exactly the transaction's envelope, however the stored content comes in reads; a chain that
 * verifies gets this hop's signature, one that does not goes on untouched, as does mail of other
 * listeners and other domains; the queue's own reports get a chain of their own.
 */
class Dkim2HopsTest {

    private static final GeneratedKey KEY = key();
    private static final GeneratedKey AUTHOR_KEY = key();
    private static final StaticTxt DNS = new StaticTxt(Map.of("s1._domainkey.example.org", KEY.txtRecord(),
            "a1._domainkey.example.com", AUTHOR_KEY.txtRecord()));
    private static final String BODY_LINE = "A line of the body, long enough to span reads of any size.\r\n";

    private static GeneratedKey key() {
        try {
            return DkimKeys.generate(KeyType.ED25519, 0);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** The stored message: its content handed out {@code readSize} octets at a time. */
    private record Stored(String listener, String sender, byte[] content, int readSize) implements QueuedMessage {

        Stored(String listener, byte[] content, int readSize) {
            this(listener, "alice@example.org", content, readSize);
        }

        @Override
        public String queueId() {
            return "0000000000000001";
        }

        @Override
        public Envelope envelope() {
            return new Envelope(sender, List.of(Recipient.of("bob@example.net"), Recipient.of("carol@example.net")),
                    BodyType.SEVEN_BIT, false, "", "", new Envelope.ClientInfo("127.0.0.1", "c", "ESMTP", "", "", listener),
                    Instant.now());
        }

        @Override
        public long size() {
            return content.length;
        }

        @Override
        public InputStream openContent() {
            return new ByteArrayInputStream(content) {
                @Override
                public synchronized int read(byte[] b, int off, int len) {
                    return super.read(b, off, Math.min(len, readSize));
                }
            };
        }
    }

    /** Keeps what it was asked to deliver. */
    private static final class Keeping implements Deliverer {
        final List<QueuedMessage> delivered = new ArrayList<>();

        @Override
        public CompletableFuture<List<RecipientResult>> deliver(QueuedMessage message, String domain, List<Recipient> recipients) {
            delivered.add(message);
            return CompletableFuture.completedFuture(recipients.stream().map(r -> new RecipientResult(r,
                    DeliveryStatus.DELIVERED, "2.0.0", "ok", "sink", true)).toList());
        }
    }

    private static byte[] message(String from, int bodyLines) {
        return ("From: " + from + "\r\nTo: bob@example.net\r\nSubject: hops\r\n\r\n" + BODY_LINE.repeat(bodyLines))
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static Dkim2Hops hops(Keeping next) {
        return new Dkim2Hops(next, Map.of("example.org", new Dkim2Signer(List.of(Dkim2Key.of(new SigningKey("example.org",
                "s1", KeyType.ED25519, KEY.privateKey()))))), Set.of("submission"), new Dkim2Verifier(DNS), Runnable::run,
                Clock.systemUTC());
    }

    private static byte[] read(QueuedMessage message) throws IOException {
        try (InputStream in = message.openContent()) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 40, 4096, 65536, 1 << 20})
    void theDeliveredMessage_verifiesForItsTransaction_whateverTheReads(int readSize) throws Exception {
        Keeping next = new Keeping();
        byte[] content = message("Alice <alice@example.org>", 3000);
        List<Recipient> transaction = List.of(Recipient.of("bob@example.net"));
        hops(next).deliver(new Stored("submission", content, readSize), "example.net", transaction).join();

        QueuedMessage sent = next.delivered.get(0);
        byte[] octets = read(sent);
        assertEquals(octets.length, sent.size(), "SIZE counts the new fields");
        assertTrue(new String(octets, StandardCharsets.US_ASCII).endsWith(new String(content, StandardCharsets.US_ASCII)));
        StaticTxt dns = DNS;
        Dkim2Result forIt = new Dkim2Verifier(dns).verify(octets, Dkim2Envelope.of("alice@example.org", "bob@example.net"))
                .join();
        assertEquals(Dkim2Verdict.PASS, forIt.verdict(), forIt.reason());
        assertEquals(List.of("<bob@example.net>"), forIt.hops().get(0).rcptTo(), "only this transaction's recipient");
        Dkim2Result other = new Dkim2Verifier(dns).verify(octets, Dkim2Envelope.of("alice@example.org", "carol@example.net"))
                .join();
        assertEquals(Dkim2Verdict.PERMERROR, other.verdict(), "carol was in another transaction");
    }

    @Test
    void mailOfOtherListeners_otherDomains_orWithAChain_goesAsItIs() throws Exception {
        Keeping next = new Keeping();
        Dkim2Hops hops = hops(next);
        List<Recipient> transaction = List.of(Recipient.of("bob@example.net"));
        QueuedMessage fromMx = new Stored("mx", message("alice@example.org", 3), 4096);
        QueuedMessage otherDomain = new Stored("submission", message("alice@other.example", 3), 4096);
        QueuedMessage twoFrom = new Stored("submission", ("From: a@example.org, b@example.org\r\n\r\nhi\r\n")
                .getBytes(StandardCharsets.US_ASCII), 4096);
        QueuedMessage chained = new Stored("submission", ("DKIM2-Signature: i=1; m=1\r\n" + new String(
                message("alice@example.org", 3), StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII), 4096);
        for (QueuedMessage message : List.of(fromMx, otherDomain, twoFrom, chained)) {
            hops.deliver(message, "example.net", transaction).join();
            assertSame(message, next.delivered.get(next.delivered.size() - 1));
        }
        assertFalse(new String(read(next.delivered.get(0)), StandardCharsets.US_ASCII).contains("Message-Instance"));
    }

    /** Hop 1: the author's server signed for the list, example.com to example.org. */
    private static byte[] signedByTheAuthor(String rcptTo, String body) throws Exception {
        byte[] original = ("From: Ann <ann@example.com>\r\nTo: list@example.org\r\nSubject: minutes\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
        Dkim2Signer author = new Dkim2Signer(List.of(Dkim2Key.of(new SigningKey("example.com", "a1", KeyType.ED25519,
                AUTHOR_KEY.privateKey()))));
        String fields = author.sign(original, org.sealpost.signing.dkim2.Dkim2SignOptions.forEnvelope(
                Dkim2Envelope.of("ann@example.com", rcptTo)));
        byte[] head = fields.getBytes(StandardCharsets.US_ASCII);
        byte[] signed = new byte[head.length + original.length];
        System.arraycopy(head, 0, signed, 0, head.length);
        System.arraycopy(original, 0, signed, head.length, original.length);
        return signed;
    }

    @Test
    void aChainThatVerifies_getsThisHopsSignature_forThisTransaction() throws Exception {
        Keeping next = new Keeping();
        byte[] hop1 = signedByTheAuthor("list@example.org", BODY_LINE.repeat(200));
        hops(next).deliver(new Stored("submission", "list-bounces@example.org", hop1, 4096), "example.net",
                List.of(Recipient.of("bob@example.net"))).join();

        byte[] sent = read(next.delivered.get(0));
        String text = new String(sent, StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("DKIM2-Signature: i=2;"), "only a signature: nothing changed, no Message-Instance");
        Dkim2Result result = new Dkim2Verifier(DNS).verify(sent, Dkim2Envelope.of("list-bounces@example.org",
                "bob@example.net")).join();
        assertEquals(Dkim2Verdict.PASS, result.verdict(), result.reason());
        assertEquals(List.of("example.com", "example.org"), result.hops().stream().map(Dkim2Result.Hop::domain).toList());
        assertEquals(List.of("<bob@example.net>"), result.hops().get(1).rcptTo());
    }

    @Test
    void aChainThatDoesNotVerify_goesOnWithoutOurSignature() throws Exception {
        String hop1 = new String(signedByTheAuthor("list@example.org", BODY_LINE.repeat(3)), StandardCharsets.US_ASCII);
        // The content still matches its Message-Instance, so only verifying the chain finds the forged signature.
        assertTrue(hop1.contains("s=a1:ed25519-sha256:"), hop1);
        int at = hop1.indexOf("a1:ed25519-sha256:") + "a1:ed25519-sha256:".length();
        byte[] changed = (hop1.substring(0, at) + (hop1.charAt(at) == 'A' ? 'B' : 'A') + hop1.substring(at + 1))
                .getBytes(StandardCharsets.US_ASCII);
        assertGoesUnsigned(new Stored("submission", "list-bounces@example.org", changed, 4096),
                "a hop may sign only a chain that verifies (-06 9.2)");
    }

    @Test
    void aChainWhoseCustodyWouldBreak_goesOnWithoutOurSignature() throws Exception {
        // Hop 1 sent it to another domain: example.org never received it, so cannot pass it on (-06 9.3).
        assertGoesUnsigned(new Stored("submission", "list-bounces@example.org",
                signedByTheAuthor("someone@elsewhere.example", BODY_LINE.repeat(3)), 4096), "custody");
    }

    @Test
    void aChainWithAMailFromOutsideOurDomains_goesOnAsItIs() throws Exception {
        assertGoesUnsigned(new Stored("submission", "ann@example.com",
                signedByTheAuthor("list@example.org", BODY_LINE.repeat(3)), 4096), "MAIL FROM outside dkim2_sign");
    }

    /** The message reaches the next deliverer as it was stored, without a signature of ours. */
    private static void assertGoesUnsigned(QueuedMessage message, String why) {
        Keeping next = new Keeping();
        hops(next).deliver(message, "example.net", List.of(Recipient.of("bob@example.net"))).join();
        assertSame(message, next.delivered.get(0), why);
    }

    @Test
    void theQueuesReports_getAChainOfTheirOwn_withTheNullMailFrom() throws Exception {
        Keeping next = new Keeping();
        byte[] report = ("From: Mail Delivery System <MAILER-DAEMON@mx1.example.org>\r\nTo: <carol@example.net>\r\n"
                + "Subject: Undelivered Mail Returned to Sender\r\n\r\n" + BODY_LINE).getBytes(StandardCharsets.US_ASCII);
        hops(next).deliver(new Stored(Envelope.ClientInfo.REPORTS, "", report, 4096), "example.net",
                List.of(Recipient.of("carol@example.net"))).join();

        byte[] sent = read(next.delivered.get(0));
        assertTrue(new String(sent, StandardCharsets.US_ASCII).startsWith("Message-Instance: m=1;"));
        Dkim2Result result = new Dkim2Verifier(DNS).verify(sent, Dkim2Envelope.of("", "carol@example.net")).join();
        assertEquals(Dkim2Verdict.PASS, result.verdict(), result.reason());
        assertEquals("example.org", result.hops().get(0).domain(), "the host name's domain signs (-06 12.1)");
        assertEquals(java.util.Optional.of("<>"), result.hops().get(0).mailFrom());
    }
}
