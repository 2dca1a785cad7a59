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
import org.sealpost.signing.dkim.HeaderField;
import org.sealpost.signing.dkim2.Dkim2Envelope;
import org.sealpost.signing.dkim2.Dkim2PermanentError;
import org.sealpost.signing.dkim2.Dkim2Refusal;
import org.sealpost.signing.dkim2.Dkim2SignOptions;
import org.sealpost.signing.dkim2.Dkim2Signer;
import org.sealpost.signing.dkim2.Dkim2Signing;
import org.sealpost.signing.dkim2.Dkim2Verdict;
import org.sealpost.signing.dkim2.Dkim2Verification;
import org.sealpost.signing.dkim2.Dkim2Verifier;
import org.sealpost.signing.dkim2.Dkim2Wire;
import org.sealpost.transport.queue.Deliverer;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.queue.QueuedMessage;
import org.sealpost.transport.queue.Recipient;
import org.sealpost.transport.queue.RecipientResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This hop's DKIM2 fields on each delivery (dkim2_sign, docs/dkim2.md), made for every attempt,
 * that is for every SMTP transaction, with mf= and rt= exactly the MAIL FROM and the RCPT TOs of
 * that transaction: a recipient of one transaction never appears in the signature of another (-06
 * 8.6: Bcc recipients stay hidden), and a retry signs with its own time. The fields go before the
 * stored content, which is read once to hash it and again to send. Three kinds of mail are signed:
 *
 * <ul>
 *   <li>what a submission listener accepted from a domain of dkim2_sign (its one From address):
 *       the first Message-Instance and DKIM2-Signature;
 *   <li>what a submission listener accepted with a chain already on it (a forwarder or a list behind
 *       Postfix passing mail on), when its MAIL FROM is in a domain of dkim2_sign: the chain is
 *       verified first against the envelope its newest signature records (-06 9.2: a hop signs only
 *       a chain that verifies), then this hop's signature is added. Sealpost does not change the
 *       content, so no Message-Instance is due (-06 9.1); the signer refuses when the chain of
 *       custody would break (-06 9.3);
 *   <li>the delivery status notifications the queue writes, when their From domain (the host name)
 *       is in or below a domain of dkim2_sign: a chain of their own, with mf=&lt;&gt; (-06 12.1).
 * </ul>
 *
 * <p>Anything else goes on as it is. When signing fails the message goes without DKIM2, and the log
 * says why: DKIM2 is an addition to DKIM, and the 250 for this message was given long ago.
 */
public final class Dkim2Hops implements Deliverer {

    private static final Logger LOG = LoggerFactory.getLogger(Dkim2Hops.class);
    private static final int HEADER_LIMIT = 1 << 20;
    private static final int CHUNK = 64 * 1024;

    private final Deliverer next;
    private final Map<String, Dkim2Signer> signers;
    private final Set<String> submissionListeners;
    private final Dkim2Verifier verifier;
    private final Executor crypto;
    private final Clock clock;

    /** What signs one message: the domain and its signer, and the envelope to verify the chain against (or null). */
    private record Plan(String domain, Dkim2Signer signer, Dkim2Envelope recorded) {
    }

    /**
     * @param signers the signer of each domain with DKIM2 signing on, by domain in lower case
     * @param submissionListeners the names of the submission listeners, whose mail is ours to sign
     * @param verifier what checks a chain before this hop adds to it
     * @param crypto where the hashing and the private-key operation run (never an event loop)
     */
    public Dkim2Hops(Deliverer next, Map<String, Dkim2Signer> signers, Set<String> submissionListeners,
            Dkim2Verifier verifier, Executor crypto, Clock clock) {
        this.next = next;
        this.signers = Map.copyOf(signers);
        this.submissionListeners = Set.copyOf(submissionListeners);
        this.verifier = verifier;
        this.crypto = crypto;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<List<RecipientResult>> deliver(QueuedMessage message, String domain, List<Recipient> recipients) {
        String listener = message.envelope().client().listener();
        boolean report = listener.equals(Envelope.ClientInfo.REPORTS) && message.envelope().sender().isEmpty();
        if (!report && !submissionListeners.contains(listener)) {
            return next.deliver(message, domain, recipients);
        }
        return CompletableFuture.supplyAsync(() -> plan(message, report), crypto)
                .thenComposeAsync(plan -> verified(message, plan), crypto) // reads the file: never the caller's thread
                .thenApplyAsync(plan -> plan == null ? null : fields(message, plan, recipients), crypto)
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

    /** Who signs {@code message}, or null when it is not ours to sign; reads the header section only. */
    private Plan plan(QueuedMessage message, boolean report) {
        HeaderSection header = new HeaderSection(HEADER_LIMIT);
        try (InputStream content = message.openContent()) {
            byte[] chunk = new byte[CHUNK];
            int n;
            while (!header.complete() && (n = content.read(chunk)) > 0) {
                header.take(ByteBuffer.wrap(chunk, 0, n));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the queued message: " + e.getMessage(), e);
        }
        List<HeaderField> fields = header.fields().stream().filter(f -> f.indexOf(':') > 0).map(HeaderField::of).toList();
        if (fields.stream().noneMatch(f -> Dkim2Wire.isDkim2(f.name()))) {
            String from = fromDomain(header);
            String domain = from == null ? null : report ? covering(from) : signers.containsKey(from) ? from : null;
            return domain == null ? null : new Plan(domain, signers.get(domain), null);
        }
        String sender = message.envelope().sender();
        if (sender.isEmpty()) {
            // A report coming back along the path; rebuilding it for the hop before (-06 12.1.1) is not built.
            LOG.info("{}: a report with DKIM2 fields; passed on as it is, not rebuilt for the previous hop",
                    message.queueId());
            return null;
        }
        String domain = covering(Dkim2Wire.domainOf("<" + sender + ">"));
        if (domain == null) {
            LOG.info("{}: has DKIM2 fields, and MAIL FROM <{}> is in no domain of dkim2_sign; passed on without a "
                    + "DKIM2 signature of ours", message.queueId(), sender);
            return null;
        }
        try {
            return new Plan(domain, signers.get(domain), Dkim2Envelope.recordedIn(fields));
        } catch (Dkim2PermanentError e) {
            LOG.info("{}: its DKIM2 chain is damaged ({}); passed on without a DKIM2 signature of ours", message.queueId(),
                    e.getMessage());
            return null;
        }
    }

    /** The plan once the chain on the message verified (-06 9.2), or null when it did not. */
    private CompletableFuture<Plan> verified(QueuedMessage message, Plan plan) {
        if (plan == null || plan.recorded() == null) {
            return CompletableFuture.completedFuture(plan);
        }
        Dkim2Verification verification = verifier.start(plan.recorded());
        try (InputStream content = message.openContent()) {
            byte[] chunk = new byte[CHUNK];
            int n;
            while ((n = content.read(chunk)) > 0) {
                verification.update(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the queued message: " + e.getMessage(), e);
        }
        return verification.finish().thenApply(result -> {
            if (result.verdict() != Dkim2Verdict.PASS) {
                LOG.info("{}: its DKIM2 chain does not verify (dkim2={}: {}); passed on without a DKIM2 signature of ours",
                        message.queueId(), result.verdict().token(), result.reason());
                return null;
            }
            return plan;
        });
    }

    /** This transaction's DKIM2 fields. */
    private byte[] fields(QueuedMessage message, Plan plan, List<Recipient> recipients) {
        Envelope envelope = message.envelope();
        List<String> rcptTo = recipients.stream().map(Recipient::address).toList();
        Dkim2Signing signing = plan.signer().start(Dkim2SignOptions.forEnvelope(new Dkim2Envelope(envelope.sender(), rcptTo))
                .withTimestamp(clock.instant().getEpochSecond()));
        try (InputStream content = message.openContent()) {
            byte[] chunk = new byte[CHUNK];
            int n;
            while ((n = content.read(chunk)) > 0) {
                signing.update(chunk, 0, n);
            }
            String fields = signing.finish();
            LOG.info("{}: DKIM2 fields added (d={}{}, mail-from=<{}>, rcpt-to={})", message.queueId(), plan.domain(),
                    plan.recorded() == null ? "" : ", to a chain that verified", envelope.sender(),
                    rcptTo.size() == 1 ? "<" + rcptTo.get(0) + ">" : rcptTo.size() + " recipients");
            return fields.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the queued message: " + e.getMessage(), e);
        } catch (Dkim2Refusal e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The domain of dkim2_sign that is {@code domain} or nearest above it (-06 9.4's relaxed match), or null. */
    private String covering(String domain) {
        for (String d = domain.toLowerCase(Locale.ROOT); !d.isEmpty(); d = d.indexOf('.') < 0 ? "" : d.substring(d.indexOf('.') + 1)) {
            if (signers.containsKey(d)) {
                return d;
            }
        }
        return null;
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
