package org.sealpost.transport.dkim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.sealpost.signing.dkim2.Dkim2Envelope;
import org.sealpost.signing.dkim2.Dkim2Refusal;
import org.sealpost.signing.dkim2.Dkim2SignOptions;
import org.sealpost.signing.dkim2.Dkim2Signer;
import org.sealpost.signing.dkim2.Dkim2Signing;
import org.sealpost.signing.dkim2.Dkim2Wire;
import org.sealpost.transport.queue.Deliverer;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.queue.QueuedMessage;
import org.sealpost.transport.queue.Recipient;
import org.sealpost.transport.queue.RecipientResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This hop's DKIM2 fields on each delivery of mail that a submission listener accepted from a
 * domain with DKIM2 signing on (dkim2_sign, docs/dkim2.md): for every attempt, that is for every
 * SMTP transaction, a Message-Instance m=1 and a DKIM2-Signature i=1 whose mf= and rt= are exactly
 * the MAIL FROM and the RCPT TOs of that transaction. A recipient of one transaction never appears
 * in the signature of another (-06 8.6: Bcc recipients stay hidden), and a retry signs with its own
 * time. The fields go before the stored content, which is read once to hash it and again to send.
 *
 * <p>A message that already carries DKIM2 fields (mail passed on by a list or a forwarder behind
 * Postfix) goes on as it is: a hop may sign only a chain it verified, and passing on a chain is not
 * built yet. When signing fails the message goes without DKIM2, and the log says why: DKIM2 is an
 * addition to DKIM, and the 250 for this message was given long ago.
 */
public final class Dkim2Hops implements Deliverer {

    private static final Logger LOG = LoggerFactory.getLogger(Dkim2Hops.class);
    private static final int HEADER_LIMIT = 1 << 20;
    private static final int CHUNK = 64 * 1024;

    private final Deliverer next;
    private final Map<String, Dkim2Signer> signers;
    private final Set<String> submissionListeners;
    private final Executor crypto;
    private final Clock clock;

    /**
     * @param signers the signer of each domain with DKIM2 signing on, by domain in lower case
     * @param submissionListeners the names of the submission listeners, whose mail is ours to sign
     * @param crypto where the hashing and the private-key operation run (never an event loop)
     */
    public Dkim2Hops(Deliverer next, Map<String, Dkim2Signer> signers, Set<String> submissionListeners, Executor crypto,
            Clock clock) {
        this.next = next;
        this.signers = Map.copyOf(signers);
        this.submissionListeners = Set.copyOf(submissionListeners);
        this.crypto = crypto;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<List<RecipientResult>> deliver(QueuedMessage message, String domain, List<Recipient> recipients) {
        if (!submissionListeners.contains(message.envelope().client().listener())) {
            return next.deliver(message, domain, recipients);
        }
        return CompletableFuture.supplyAsync(() -> fields(message, recipients), crypto)
                .exceptionally(failure -> {
                    LOG.warn("warning: {}: sent without DKIM2: {}", message.queueId(), failure.getCause() == null
                            ? failure : failure.getCause().getMessage());
                    return null;
                })
                .thenCompose(fields -> next.deliver(fields == null ? message : new Stamped(message, fields), domain,
                        recipients));
    }

    @Override
    public void forgetUnavailable() {
        next.forgetUnavailable();
    }

    /** This transaction's DKIM2 fields, or null when the message is not ours to sign. */
    private byte[] fields(QueuedMessage message, List<Recipient> recipients) {
        HeaderSection header = new HeaderSection(HEADER_LIMIT);
        try (InputStream content = message.openContent()) {
            byte[] chunk = new byte[CHUNK];
            int n;
            ByteBuffer rest = ByteBuffer.allocate(0);
            while (!header.complete() && (n = content.read(chunk)) > 0) {
                rest = header.take(ByteBuffer.wrap(chunk, 0, n));
            }
            String domain = fromDomain(header);
            Dkim2Signer signer = domain == null ? null : signers.get(domain);
            if (signer == null) {
                return null;
            }
            if (chained(header)) {
                LOG.info("{}: has DKIM2 fields; passed on without a DKIM2 signature of ours", message.queueId());
                return null;
            }
            Envelope envelope = message.envelope();
            List<String> rcptTo = recipients.stream().map(Recipient::address).toList();
            Dkim2Signing signing = signer.start(Dkim2SignOptions.forEnvelope(new Dkim2Envelope(envelope.sender(), rcptTo))
                    .withTimestamp(clock.instant().getEpochSecond()));
            signing.update(header.octets());
            // What the last read brought after the header section is the body's first octets.
            signing.update(rest.array(), rest.arrayOffset() + rest.position(), rest.remaining());
            while ((n = content.read(chunk)) > 0) {
                signing.update(chunk, 0, n);
            }
            String fields = signing.finish();
            LOG.info("{}: DKIM2 fields added (d={}, mail-from=<{}>, rcpt-to={})", message.queueId(), domain,
                    envelope.sender(), rcptTo.size() == 1 ? "<" + rcptTo.get(0) + ">" : rcptTo.size() + " recipients");
            return fields.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the queued message: " + e.getMessage(), e);
        } catch (Dkim2Refusal e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The domain of the one From address, in lower case, or null when there is not exactly one. */
    private static String fromDomain(HeaderSection header) {
        List<List<String>> from = header.fromAddresses();
        if (header.tooLarge() || from.size() != 1 || from.get(0).size() != 1) {
            return null;
        }
        String address = from.get(0).get(0);
        return address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    private static boolean chained(HeaderSection header) {
        for (String field : header.fields()) {
            int colon = field.indexOf(':');
            String name = colon < 0 ? "" : field.substring(0, colon).strip();
            if (name.equalsIgnoreCase(Dkim2Wire.SIGNATURE_FIELD) || name.equalsIgnoreCase(Dkim2Wire.INSTANCE_FIELD)) {
                return true;
            }
        }
        return false;
    }

    /** The stored message with this transaction's fields before it. */
    private record Stamped(QueuedMessage message, byte[] fields) implements QueuedMessage {

        @Override
        public String queueId() {
            return message.queueId();
        }

        @Override
        public Envelope envelope() {
            return message.envelope();
        }

        @Override
        public long size() {
            return message.size() + fields.length;
        }

        @Override
        public InputStream openContent() throws IOException {
            return new SequenceInputStream(new ByteArrayInputStream(fields), message.openContent());
        }

        @Override
        public List<String> results() {
            return message.results();
        }
    }
}
