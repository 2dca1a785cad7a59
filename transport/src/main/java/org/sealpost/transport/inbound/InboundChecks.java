package org.sealpost.transport.inbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.sealpost.signing.dkim.DkimResult;
import org.sealpost.signing.dkim.DkimVerifier;
import org.sealpost.signing.dkim.MessageVerification;
import org.sealpost.signing.dmarc.DmarcEvaluator;
import org.sealpost.signing.dmarc.SpfCheck;
import org.sealpost.signing.spf.SpfChecker;
import org.sealpost.signing.spf.SpfResult;
import org.sealpost.signing.spf.SpfVerdict;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.smtp.server.MessageFilter;
import org.sealpost.transport.smtp.server.Printable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound checks of an mx listener, in one place (docs/verification.md): SPF starts at MAIL
 * FROM, DKIM verifies while the content arrives (the body hash streams), the header section loses
 * the Authentication-Results fields that claim our authserv-id (RFC 8601 5), and at the end DMARC
 * weighs the From domains against both; one verdict and one Authentication-Results field come out.
 * {@code sealpost auth check} runs the same step on a message from the shell.
 */
public final class InboundChecks implements MessageFilter {

    private static final Logger LOG = LoggerFactory.getLogger(InboundChecks.class);

    private final SpfChecker spf;
    private final DkimVerifier dkim;
    private final DmarcEvaluator dmarc;
    private final String authservId;
    private final DmarcMode mode;

    /**
     * @param dkim the verifier, or null when DKIM verification is off ({@code dkim_verify = no})
     * @param authservId the authserv-id of our Authentication-Results fields (RFC 8601 2.5)
     */
    public InboundChecks(SpfChecker spf, DkimVerifier dkim, DmarcEvaluator dmarc, String authservId, DmarcMode mode) {
        this.spf = spf;
        this.dkim = dkim;
        this.dmarc = dmarc;
        this.authservId = authservId;
        this.mode = mode;
    }

    /** RFC 7208 2.4: the MAIL FROM identity is checked when it is given; RCPT and DATA go on meanwhile. */
    @Override
    public Transaction begin(InetAddress client, String helo, String sender) {
        CompletableFuture<SpfVerdict> checked = spf.check(client, helo, sender).exceptionally(failure ->
                new SpfVerdict(SpfResult.TEMPERROR, "the check did not complete: " + failure, ""));
        return (queueId, envelope, authUser) -> new Checking(queueId, sender, helo, checked);
    }

    @Override
    public Run start(String queueId, Envelope envelope, String authUser) {
        InetAddress client;
        try {
            client = InetAddress.getByName(envelope.client().address()); // an address literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + envelope.client().address(), e);
        }
        return begin(client, envelope.client().heloName(), envelope.sender()).start(queueId, envelope, authUser);
    }

    /**
     * The same step on a whole message, as {@code sealpost auth check} runs it: the content goes
     * through it as the listener hands it over, header section first.
     */
    public CompletableFuture<InboundVerdict> check(InetAddress client, String helo, String sender, byte[] message) {
        Checking checking = (Checking) begin(client, helo, sender).start("auth-check", null, "");
        checking.accept(ByteBuffer.wrap(message));
        checking.header(java.util.Arrays.copyOf(message, headerLength(message)));
        return checking.verdict();
    }

    /** The length of the header section with its blank line; the whole message when it has none. */
    private static int headerLength(byte[] message) {
        if (message.length >= 2 && message[0] == '\r' && message[1] == '\n') {
            return 2;
        }
        for (int i = 0; i + 3 < message.length; i++) {
            if (message[i] == '\r' && message[i + 1] == '\n' && message[i + 2] == '\r' && message[i + 3] == '\n') {
                return i + 4;
            }
        }
        return message.length;
    }

    /** One message. */
    private final class Checking implements Run {
        private final String queueId;
        private final String sender;
        private final String helo;
        private final CompletableFuture<SpfVerdict> spfVerdict;
        private final MessageVerification verification;
        private List<List<String>> from = List.of();
        /** The slot of the ARC validator (RFC 8617): its resinfo goes here once it runs. */
        private String arc = Findings.ARC_NONE;

        Checking(String queueId, String sender, String helo, CompletableFuture<SpfVerdict> spfVerdict) {
            this.queueId = queueId;
            this.sender = sender;
            this.helo = helo;
            this.spfVerdict = spfVerdict;
            this.verification = dkim == null ? null : dkim.start();
        }

        @Override
        public void accept(ByteBuffer content) {
            if (verification != null) {
                verification.update(content);
            }
        }

        /** Learns the From fields; drops what claims our authserv-id and any quarantine marker not ours. */
        @Override
        public byte[] header(byte[] section) {
            ArrivingHeader header = ArrivingHeader.parse(section);
            from = header.fromAddresses();
            List<ArrivingHeader.Field> dropped = new ArrayList<>();
            for (ArrivingHeader.Field field : header.fields()) {
                if (field.name().equalsIgnoreCase(AuthenticationResults.NAME)
                        && AuthenticationResults.claims(field.value(), authservId)
                        || field.name().equalsIgnoreCase(InboundVerdict.QUARANTINE_FIELD)) {
                    dropped.add(field);
                    LOG.info("{}: removed an arriving {} field: {}", queueId, field.name(),
                            Printable.forLog(field.value()));
                }
            }
            return dropped.isEmpty() ? section : header.without(dropped);
        }

        @Override
        public CompletableFuture<Outcome> finish() {
            return verdict().thenApply(InboundVerdict::outcome);
        }

        CompletableFuture<InboundVerdict> verdict() {
            CompletableFuture<List<DkimResult>> signatures = verification == null
                    ? CompletableFuture.completedFuture(List.of()) : verification.finish();
            return spfVerdict.thenCombine(signatures, Partial::new).thenCompose(partial -> {
                List<String> domains = from.size() == 1 ? from.get(0).stream()
                        .map(a -> a.substring(a.lastIndexOf('@') + 1)).toList() : List.of();
                if (domains.isEmpty()) {
                    return CompletableFuture.completedFuture(findings(partial, Optional.empty()));
                }
                return dmarc.evaluate(domains, partial.dkim(), spfCheck(partial.spf()))
                        .thenApply(verdict -> findings(partial, Optional.of(verdict)));
            }).thenApply(found -> {
                InboundVerdict verdict = InboundVerdict.decide(found, authservId, mode);
                LOG.info("{}: checks: from=<{}>, helo={}: {}", queueId, sender,
                        Printable.forLog(helo), verdict.logText(found.applied()));
                return verdict;
            });
        }

        /** RFC 9989 3.2.4, RFC 7208 2.4: the SPF domain is MAIL FROM's, or the HELO name's for the null sender. */
        private SpfCheck spfCheck(SpfVerdict verdict) {
            String identity = sender.isEmpty() ? helo : sender.substring(sender.lastIndexOf('@') + 1);
            return new SpfCheck(SpfCheck.Result.valueOf(verdict.result().name()), identity);
        }

        /** SPF and DKIM, before DMARC. */
        private record Partial(SpfVerdict spf, List<DkimResult> dkim) {
        }

        private Findings findings(Partial partial, Optional<org.sealpost.signing.dmarc.DmarcVerdict> verdict) {
            return new Findings(partial.spf(), sender, helo, partial.dkim(), dkim == null, arc, from, verdict);
        }
    }
}
