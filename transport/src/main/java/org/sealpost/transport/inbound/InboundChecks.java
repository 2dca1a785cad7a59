package org.sealpost.transport.inbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.sealpost.signing.arc.ArcResult;
import org.sealpost.signing.arc.ArcStatus;
import org.sealpost.signing.arc.ArcVerification;
import org.sealpost.signing.arc.ArcVerifier;
import org.sealpost.signing.arc.TrustedSealers;
import org.sealpost.signing.dkim.DkimResult;
import org.sealpost.signing.dkim.DkimVerifier;
import org.sealpost.signing.dkim.MessageVerification;
import org.sealpost.signing.dkim2.Dkim2Envelope;
import org.sealpost.signing.dkim2.Dkim2Result;
import org.sealpost.signing.dkim2.Dkim2Returned;
import org.sealpost.signing.dkim2.Dkim2Verdict;
import org.sealpost.signing.dkim2.Dkim2Verification;
import org.sealpost.signing.dkim2.Dkim2Verifier;
import org.sealpost.signing.dmarc.DmarcEvaluation;
import org.sealpost.signing.dmarc.DmarcEvaluator;
import org.sealpost.signing.dmarc.SpfCheck;
import org.sealpost.signing.spf.SpfChecker;
import org.sealpost.signing.spf.SpfResult;
import org.sealpost.signing.spf.SpfVerdict;
import org.sealpost.transport.metrics.Metrics;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.smtp.server.MessageFilter;
import org.sealpost.transport.smtp.server.Printable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound checks of an mx listener, in one place (docs/verification.md): SPF starts at MAIL
 * FROM, DKIM and the ARC chain (RFC 8617 5.2) verify while the content arrives (the body hashes
 * stream), the header section loses
 * the Authentication-Results fields that claim our authserv-id (RFC 8601 5), and at the end DMARC
 * weighs the From domains against SPF and DKIM; one verdict (where a trusted ARC sealer may rescue a
 * DMARC failure) and one Authentication-Results field come out.
 * {@code sealpost auth check} runs the same step on a message from the shell.
 */
public final class InboundChecks implements MessageFilter {

    private static final Logger LOG = LoggerFactory.getLogger(InboundChecks.class);

    private final SpfChecker spf;
    private final DkimVerifier dkim;
    private final ArcVerifier arc;
    private final DmarcEvaluator dmarc;
    private final TrustedSealers trustedSealers;
    private final String authservId;
    private final DmarcMode mode;
    private final SigningPolicy signingPolicy;
    private final SigningPolicyMode signingMode;
    private final Metrics metrics;
    private final Dkim2Verifier dkim2;
    private final Dkim2Duplicates duplicates;
    private final Dkim2Reports reports;

    /**
     * @param dkim the verifier, or null when DKIM verification is off ({@code dkim_verify = no})
     * @param arc the ARC validator, run on every message
     * @param trustedSealers the sealers whose word on DMARC is taken ({@code arc_trusted_sealers})
     * @param authservId the authserv-id of our Authentication-Results fields (RFC 8601 2.5)
     */
    public InboundChecks(SpfChecker spf, DkimVerifier dkim, ArcVerifier arc, DmarcEvaluator dmarc,
            TrustedSealers trustedSealers, String authservId, DmarcMode mode) {
        this(spf, dkim, arc, dmarc, trustedSealers, authservId, mode, null, SigningPolicyMode.OFF);
    }

    /**
     * @param signingPolicy the signing policy of the From domains' MX hosts from the held XKEYS pins
     *     (docs/xkeys.md), or null when there is no pin store
     * @param signingMode {@code xkeys_signing_policy}: report, enforce or off
     */
    public InboundChecks(SpfChecker spf, DkimVerifier dkim, ArcVerifier arc, DmarcEvaluator dmarc,
            TrustedSealers trustedSealers, String authservId, DmarcMode mode, SigningPolicy signingPolicy,
            SigningPolicyMode signingMode) {
        this(spf, dkim, arc, dmarc, trustedSealers, authservId, mode, signingPolicy, signingMode, Metrics.none());
    }

    /** The same, counting each message's results in {@code metrics}; without DKIM2. */
    public InboundChecks(SpfChecker spf, DkimVerifier dkim, ArcVerifier arc, DmarcEvaluator dmarc,
            TrustedSealers trustedSealers, String authservId, DmarcMode mode, SigningPolicy signingPolicy,
            SigningPolicyMode signingMode, Metrics metrics) {
        this(spf, dkim, arc, dmarc, trustedSealers, authservId, mode, signingPolicy, signingMode, metrics, null);
    }

    /**
     * The same with DKIM2 (docs/dkim2.md): {@code dkim2} verifies each message's chain against the
     * envelope of its transaction, or is null when DKIM2 verification is off ({@code dkim2_verify = no}).
     */
    public InboundChecks(SpfChecker spf, DkimVerifier dkim, ArcVerifier arc, DmarcEvaluator dmarc,
            TrustedSealers trustedSealers, String authservId, DmarcMode mode, SigningPolicy signingPolicy,
            SigningPolicyMode signingMode, Metrics metrics, Dkim2Verifier dkim2) {
        this(spf, dkim, arc, dmarc, trustedSealers, authservId, mode, signingPolicy, signingMode, metrics, dkim2, null);
    }

    /**
     * The same, reporting a copy of a DKIM2-signed transmission already queued as a duplicate (-06 11.9):
     * {@code duplicates} is shared by every mx listener of the process, or null when the check is off
     * ({@code dkim2_duplicates = no}).
     */
    public InboundChecks(SpfChecker spf, DkimVerifier dkim, ArcVerifier arc, DmarcEvaluator dmarc,
            TrustedSealers trustedSealers, String authservId, DmarcMode mode, SigningPolicy signingPolicy,
            SigningPolicyMode signingMode, Metrics metrics, Dkim2Verifier dkim2, Dkim2Duplicates duplicates) {
        this(spf, dkim, arc, dmarc, trustedSealers, authservId, mode, signingPolicy, signingMode, metrics, dkim2, duplicates,
                null);
    }

    /**
     * The same, checking that a DKIM2-signed report returns a message this relay sent (-06 12.1.2):
     * {@code reports} knows our signing domains, or is null when the check is off (no dkim2_sign, or
     * {@code dkim2_report_check = no}).
     */
    public InboundChecks(SpfChecker spf, DkimVerifier dkim, ArcVerifier arc, DmarcEvaluator dmarc,
            TrustedSealers trustedSealers, String authservId, DmarcMode mode, SigningPolicy signingPolicy,
            SigningPolicyMode signingMode, Metrics metrics, Dkim2Verifier dkim2, Dkim2Duplicates duplicates,
            Dkim2Reports reports) {
        this.reports = dkim2 == null ? null : reports;
        this.dkim2 = dkim2;
        this.duplicates = dkim2 == null ? null : duplicates;
        this.metrics = metrics;
        this.signingPolicy = signingMode == SigningPolicyMode.OFF ? null : signingPolicy;
        this.signingMode = signingMode;
        this.spf = spf;
        this.dkim = dkim;
        this.arc = arc;
        this.dmarc = dmarc;
        this.trustedSealers = trustedSealers;
        this.authservId = authservId;
        this.mode = mode;
    }

    /** RFC 7208 2.4: the MAIL FROM identity is checked when it is given; RCPT and DATA go on meanwhile. */
    @Override
    public Transaction begin(InetAddress client, String helo, String sender) {
        CompletableFuture<SpfVerdict> checked = spf.check(client, helo, sender).exceptionally(failure ->
                new SpfVerdict(SpfResult.TEMPERROR, "the check did not complete: " + failure, ""));
        return (queueId, envelope, authUser) -> new Checking(queueId, sender, helo, checked, envelope == null ? List.of()
                : envelope.recipients().stream().map(r -> r.address()).toList());
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
        private final ArcVerification chain;
        private final Dkim2Verification custody;
        private List<List<String>> from = List.of();
        /** This message's DKIM2 transmission, remembered once it is queued; null when not checked for duplicates. */
        private volatile Dkim2Duplicates.Key transmission;
        /** The report check (-06 12.1.2) of a message with the null sender; null otherwise. */
        private final Dkim2Returned returned;

        /** @param recipients the RCPT TOs of the transaction, which the newest DKIM2-Signature must name (-06 11.4) */
        Checking(String queueId, String sender, String helo, CompletableFuture<SpfVerdict> spfVerdict,
                List<String> recipients) {
            this.queueId = queueId;
            this.sender = sender;
            this.helo = helo;
            this.spfVerdict = spfVerdict;
            this.verification = dkim == null ? null : dkim.start();
            this.chain = arc.start();
            this.custody = dkim2 == null ? null : dkim2.start(new Dkim2Envelope(sender, recipients));
            this.returned = reports == null ? null : reports.start(sender);
        }

        /** The verifiers consume the buffer they are given: ARC and DKIM2 read views of their own. */
        @Override
        public void accept(ByteBuffer content) {
            chain.update(content.duplicate());
            if (custody != null) {
                custody.update(content.duplicate());
            }
            if (returned != null) {
                returned.update(content.duplicate());
            }
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

        @Override
        public void queued() {
            if (transmission != null) {
                duplicates.remember(transmission);
            }
        }

        /** -06 11.9: a passing chain whose transmission was queued before is reported as a duplicate. */
        private Dkim2Result againstEarlierCopies(Dkim2Result result) {
            if (duplicates == null) {
                return result;
            }
            transmission = duplicates.keyOf(result).orElse(null);
            return transmission != null && duplicates.seen(transmission) ? result.duplicate() : result;
        }

        CompletableFuture<InboundVerdict> verdict() {
            CompletableFuture<List<DkimResult>> signatures = verification == null
                    ? CompletableFuture.completedFuture(List.of()) : verification.finish();
            CompletableFuture<ArcResult> arcResult = chain.finish().exceptionally(failure -> new ArcResult(
                    ArcStatus.FAIL, "the validation did not complete: " + failure, true, 0, List.of()));
            CompletableFuture<Optional<Dkim2Result>> chained = custody == null
                    ? CompletableFuture.completedFuture(Optional.empty())
                    : custody.finish().exceptionally(failure -> new Dkim2Result(Dkim2Verdict.TEMPERROR,
                            "the verification did not complete: " + failure, 0, List.of(), List.of()))
                            .thenApply(result -> Optional.of(againstEarlierCopies(result)));
            CompletableFuture<Optional<Dkim2Returned.Outcome>> report = returned == null
                    ? CompletableFuture.completedFuture(Optional.empty()) : chained.thenCompose(r -> reports.finish(returned, r));
            return CompletableFuture.allOf(spfVerdict, signatures, arcResult, chained, report).thenCompose(done -> {
                Partial partial = new Partial(spfVerdict.join(), signatures.join(), arcResult.join(), chained.join(),
                        report.join());
                List<String> domains = from.size() == 1 ? from.get(0).stream()
                        .map(a -> a.substring(a.lastIndexOf('@') + 1)).toList() : List.of();
                if (domains.isEmpty()) {
                    return CompletableFuture.completedFuture(findings(partial, Optional.empty()));
                }
                // The signing policy asks after the same From domains DMARC evaluates, once DKIM is known.
                CompletableFuture<List<SigningResult>> signing = signingPolicy == null
                        ? CompletableFuture.completedFuture(List.of()) : signingPolicy.check(domains, partial.dkim());
                return dmarc.evaluate(domains, partial.dkim(), spfCheck(partial.spf()))
                        .thenCombine(signing, (verdict, asked) -> findings(partial, Optional.of(verdict), asked));
            }).thenApply(found -> {
                InboundVerdict verdict = InboundVerdict.decide(found, authservId, mode, trustedSealers, signingMode);
                LOG.info("{}: checks: from=<{}>, helo={}: {}", queueId, sender,
                        Printable.forLog(helo), verdict.logText(found.applied()) + found.dkim2Report().map(o -> "; report "
                                + "check: " + o.verdict().token() + " (" + Printable.forLog(o.reason()) + ")").orElse(""));
                metrics.checked(found.spf().result(), found.dkim(), found.arc().status(), found.applied().map(
                        DmarcEvaluation::result).orElse(null), found.applied().map(DmarcEvaluation::disposition).orElse(null),
                        verdict.action().name());
                return verdict;
            });
        }

        /** RFC 9989 3.2.4, RFC 7208 2.4: the SPF domain is MAIL FROM's, or the HELO name's for the null sender. */
        private SpfCheck spfCheck(SpfVerdict verdict) {
            String identity = sender.isEmpty() ? helo : sender.substring(sender.lastIndexOf('@') + 1);
            return new SpfCheck(SpfCheck.Result.valueOf(verdict.result().name()), identity);
        }

        /** SPF, DKIM, ARC and DKIM2, before DMARC. */
        private record Partial(SpfVerdict spf, List<DkimResult> dkim, ArcResult arc, Optional<Dkim2Result> dkim2,
                Optional<Dkim2Returned.Outcome> dkim2Report) {
        }

        private Findings findings(Partial partial, Optional<org.sealpost.signing.dmarc.DmarcVerdict> verdict) {
            return findings(partial, verdict, List.of());
        }

        private Findings findings(Partial partial, Optional<org.sealpost.signing.dmarc.DmarcVerdict> verdict,
                List<SigningResult> signing) {
            return new Findings(partial.spf(), sender, helo, partial.dkim(), dkim == null, partial.arc(), from, verdict,
                    signing, partial.dkim2(), partial.dkim2Report());
        }
    }
}
