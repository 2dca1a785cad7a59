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
 * exactly the transaction's envelope, however the stored content comes in reads; mail of other
 * listeners, other domains and with a chain passes untouched.
 */
class Dkim2HopsTest {

    private static final GeneratedKey KEY = key();
    private static final String BODY_LINE = "A line of the body, long enough to span reads of any size.\r\n";

    private static GeneratedKey key() {
        try {
            return DkimKeys.generate(KeyType.ED25519, 0);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** The stored message: its content handed out {@code readSize} octets at a time. */
    private record Stored(String listener, byte[] content, int readSize) implements QueuedMessage {
        @Override
        public String queueId() {
            return "0000000000000001";
        }

        @Override
        public Envelope envelope() {
            return new Envelope("alice@example.org", List.of(Recipient.of("bob@example.net"), Recipient.of("carol@example.net")),
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
                "s1", KeyType.ED25519, KEY.privateKey()))))), Set.of("submission"), Runnable::run, Clock.systemUTC());
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
        StaticTxt dns = new StaticTxt(Map.of("s1._domainkey.example.org", KEY.txtRecord()));
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
}
