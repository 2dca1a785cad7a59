package org.sealpost.transport.smtp.client;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.keyexchange.policy.Hop;
import org.sealpost.keyexchange.policy.HostPolicy;
import org.sealpost.keyexchange.policy.Policies;
import org.sealpost.transport.metrics.Metrics;
import org.sealpost.transport.queue.Deliverer;
import org.sealpost.transport.queue.DeliveryStatus;
import org.sealpost.transport.queue.QueuedMessage;
import org.sealpost.transport.queue.Recipient;
import org.sealpost.transport.queue.RecipientResult;
import org.sealpost.transport.tlsrpt.TlsReporting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP client. A delivery attempt is: resolve the next hop, then for each host in turn ask
 * the list of TLS policies what it requires there, get a connection (connect, greet, EHLO, STARTTLS, verify) and run the
 * transaction; a host that fails at the connection level hands over to the next one.
 */
public final class SmtpDeliverer implements Deliverer {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpDeliverer.class);

    private final ClientSettings settings;
    private final Policies policies;
    private final NextHops nextHops;
    private final ConnectionPool pool;
    private final UnavailableDestinations unavailable;
    private final Metrics metrics;
    private final TlsSessions sessions;

    public SmtpDeliverer(ClientSettings settings, DnsResolver dns, Policies policies, EventLoopGroup group,
            Class<? extends Channel> channelType) {
        this(settings, dns, policies, group, channelType, Clock.systemUTC(), Metrics.none());
    }

    /** @param metrics where each recipient's result and the TLS level of each delivery are counted */
    public SmtpDeliverer(ClientSettings settings, DnsResolver dns, Policies policies, EventLoopGroup group,
            Class<? extends Channel> channelType, Metrics metrics) {
        this(settings, dns, policies, group, channelType, Clock.systemUTC(), metrics);
    }

    SmtpDeliverer(ClientSettings settings, DnsResolver dns, Policies policies, EventLoopGroup group,
            Class<? extends Channel> channelType, Clock clock) {
        this(settings, dns, policies, group, channelType, clock, Metrics.none());
    }

    SmtpDeliverer(ClientSettings settings, DnsResolver dns, Policies policies, EventLoopGroup group,
            Class<? extends Channel> channelType, Clock clock, Metrics metrics) {
        this(settings, dns, policies, group, channelType, clock, metrics, null);
    }

    /**
     * @param reporting where the TLS outcome of each outbound session is counted (RFC 8460,
     *     docs/tlsrpt.md), or null when TLS reporting is off
     */
    public SmtpDeliverer(ClientSettings settings, DnsResolver dns, Policies policies, EventLoopGroup group,
            Class<? extends Channel> channelType, Metrics metrics, TlsReporting reporting) {
        this(settings, dns, policies, group, channelType, Clock.systemUTC(), metrics, reporting);
    }

    SmtpDeliverer(ClientSettings settings, DnsResolver dns, Policies policies, EventLoopGroup group,
            Class<? extends Channel> channelType, Clock clock, Metrics metrics, TlsReporting reporting) {
        this.metrics = metrics;
        this.sessions = new TlsSessions(reporting, metrics);
        this.settings = settings;
        this.policies = policies;
        this.nextHops = new NextHops(settings.routes(), dns, new Random());
        this.pool = new ConnectionPool(new Connector(settings, group, channelType, sessions), settings, group);
        this.unavailable = new UnavailableDestinations(settings.destinationUnavailableTime(), clock);
    }

    /**
     * What one attempt works with, host after host: the policy list for this message (the relaxed
     * one for TLS-Required: No), for a message with REQUIRETLS the hosts skipped so far, and
     * {@code counted}: whether its sessions count for TLS-RPT, which they do unless the message is
     * a TLS report (RFC 8460 5.1: no reports about the delivery of reports).
     */
    private record Context(QueuedMessage message, String domain, List<Recipient> recipients,
            NextHops.Resolution resolution, UnavailableDestinations.Ticket ticket, Policies policies,
            RequireTlsHop requireTls, boolean counted) {
    }

    @Override
    public void forgetUnavailable() {
        unavailable.clear();
    }

    @Override
    public CompletableFuture<List<RecipientResult>> deliver(QueuedMessage message, String domain,
            List<Recipient> recipients) {
        UnavailableDestinations.Ticket ticket = unavailable.ticket(nextHops.destination(domain));
        UnavailableDestinations.Suspension suspension = unavailable.suspended(ticket);
        if (suspension != null) {
            // As Postfix's queue manager with a dead destination: no DNS, no connection, the same reason.
            return CompletableFuture.completedFuture(log(message, Attempt.failed(recipients, DeliveryStatus.DEFERRED,
                    suspension.enhancedCode(), suspended(suspension.reason()), null, null)));
        }
        return nextHops.resolve(domain).thenCompose(resolution -> {
                    if (resolution.failure() != null) {
                        return CompletableFuture.completedFuture(Attempt.failed(recipients, resolution.failure(),
                                resolution.enhancedCode(), resolution.reason(), null, null));
                    }
                    Context context = new Context(message, domain, recipients, resolution, ticket, policiesFor(message),
                            requireTls(message, domain), !TlsReporting.isReport(message.envelope()));
                    return tryHost(context, 0, null, false, UnavailableDestinations.Result.UNREACHABLE);
                })
                .exceptionally(failure -> Attempt.failed(recipients, DeliveryStatus.DEFERRED, "4.3.0",
                        "local error in delivery: " + failure, null, null))
                .thenApply(attempt -> {
                    RecipientResult first = attempt.results().isEmpty() ? null : attempt.results().get(0);
                    UnavailableDestinations.Change change = unavailable.finished(ticket, attempt.reach(),
                            first == null ? "4.4.1" : first.enhancedCode(), first == null ? "" : first.diagnostic());
                    if (change != null) {
                        LOG.info("{}: {}", message.queueId(), change.text());
                    }
                    return log(message, attempt);
                });
    }

    /**
     * RFC 8689 4.2.2: a message with TLS-Required: No goes under the relaxed list, where DANE and
     * MTA-STS only report; REQUIRETLS wins when a message has both (RFC 8689 3).
     */
    private Policies policiesFor(QueuedMessage message) {
        boolean no;
        try (java.io.InputStream content = message.openContent()) {
            no = TlsRequiredField.saysNo(content);
        } catch (java.io.IOException e) {
            LOG.warn("warning: {}: cannot read the header section for TLS-Required: {}", message.queueId(), e.getMessage());
            return policies;
        }
        if (!no) {
            return policies;
        }
        if (message.envelope().requireTls()) {
            LOG.info("{}: TLS-Required: No ignored: the message has REQUIRETLS (RFC 8689 3)", message.queueId());
            return policies;
        }
        LOG.info("{}: TLS-Required: No: DANE and MTA-STS failures do not stop this message (RFC 8689 4.2.2)", message.queueId());
        return policies.relaxed();
    }

    /**
     * What REQUIRETLS asks of this attempt's hosts, or null when nothing: a message without it, or
     * the hand-off of mail for a local domain (route.DOMAIN to a loopback address literal) to the
     * smtpd on this machine, where no network is crossed and no DANE or MTA-STS can name a loopback
     * address; REQUIRETLS is passed on there when the smtpd announces it (docs/security-levels.md).
     */
    private RequireTlsHop requireTls(QueuedMessage message, String domain) {
        if (!message.envelope().requireTls()) {
            return null;
        }
        if (nextHops.localHandoff(domain)) {
            LOG.info("{}: REQUIRETLS: local hand-off to {}", message.queueId(), nextHops.destination(domain));
            return null;
        }
        return new RequireTlsHop();
    }

    private static String suspended(String reason) {
        return "delivery temporarily suspended: " + reason;
    }

    /**
     * One host of the list; on a connection-level failure, the next one. {@code reach} says what
     * the hosts tried so far came to: all unreachable, one reached, or one skipped by policy.
     */
    private CompletableFuture<Attempt> tryHost(Context context, int index, HopFailure last, boolean retried,
            UnavailableDestinations.Result reach) {
        List<Target> targets = context.resolution().targets();
        if (index == targets.size() && context.requireTls() != null && context.requireTls().allSkipped(targets.size())) {
            // RFC 8689 4.2.1: no host can take the message with REQUIRETLS; waiting would not change that.
            return CompletableFuture.completedFuture(Attempt.failed(context.recipients(), DeliveryStatus.BOUNCED,
                    RequireTlsHop.ENHANCED_CODE, context.requireTls().diagnostic(), null, null).reached(reach));
        }
        if (index == targets.size()) {
            // The last host tried is the one the log and the report name.
            return CompletableFuture.completedFuture(Attempt.failed(context.recipients(), DeliveryStatus.DEFERRED,
                    last.enhancedCode(), last.getMessage(), last.target(), last.tlsReached()).reached(reach));
        }
        Target target = targets.get(index);
        // What the policies require of the host first (DANE looks up its TLSA records), then a connection that meets it.
        return context.policies().beforeConnect(new Hop(context.domain(), target.host(), target.port(),
                        context.resolution().mxSecure()))
                .handle((policy, refusal) -> {
                    if (refusal != null) {
                        HopFailure hop = HopFailure.of(refusal, "4.7.5").at(target);
                        if (context.counted() && hop.refusal() != null) {
                            sessions.refused(hop.refusal(), target, context.domain());
                        }
                        LOG.info("{}: {}", context.message().queueId(), hop.getMessage());
                        return tryHost(context, index + 1, telling(last, hop), false,
                                reach == UnavailableDestinations.Result.REACHED ? reach : UnavailableDestinations.Result.UNDECIDED);
                    }
                    String unverified = context.requireTls() == null ? null
                            : RequireTlsHop.unverified(target, policy, context.resolution().mxSecure());
                    if (unverified != null) {
                        return skipForRequireTls(context, index, last, reach, unverified);
                    }
                    return connect(context, index, last, retried, reach, target, policy);
                }).thenCompose(next -> next);
    }

    /** RFC 8689 4.2.1: this host cannot take the message with REQUIRETLS; the next one may. */
    private CompletableFuture<Attempt> skipForRequireTls(Context context, int index, HopFailure last,
            UnavailableDestinations.Result reach, String reason) {
        LOG.info("{}: REQUIRETLS: skipping {}", context.message().queueId(), reason);
        context.requireTls().skip(index, reason);
        return tryHost(context, index + 1, last, false,
                reach == UnavailableDestinations.Result.REACHED ? reach : UnavailableDestinations.Result.UNDECIDED);
    }

    private CompletableFuture<Attempt> connect(Context context, int index, HopFailure last, boolean retried,
            UnavailableDestinations.Result reach, Target target, HostPolicy policy) {
        return pool.acquire(target, policy, context.domain(), () -> gate(context.ticket()), context.counted()).handle((connection, failure) -> {
            if (failure != null) {
                HopFailure hop = HopFailure.of(failure, "4.4.1").at(target);
                if (hop.kind() == HopFailure.Kind.SUSPENDED) {
                    // Another attempt found the destination unavailable while this one waited for its turn.
                    return CompletableFuture.completedFuture(Attempt.failed(context.recipients(), DeliveryStatus.DEFERRED,
                            hop.enhancedCode(), hop.getMessage(), null, null).reached(
                            reach == UnavailableDestinations.Result.REACHED ? reach : UnavailableDestinations.Result.UNDECIDED));
                }
                LOG.info("{}: {}", context.message().queueId(), hop.getMessage());
                return tryHost(context, index + 1, telling(last, hop), false,
                        hop.kind() == HopFailure.Kind.UNREACHABLE ? reach : UnavailableDestinations.Result.REACHED);
            }
            return transact(context, index, last, retried, target, policy, connection);
        }).thenCompose(next -> next);
    }

    private HopFailure gate(UnavailableDestinations.Ticket ticket) {
        UnavailableDestinations.Suspension suspension = unavailable.suspended(ticket);
        return suspension == null ? null : new HopFailure(suspension.enhancedCode(), suspended(suspension.reason()),
                HopFailure.Kind.SUSPENDED, null);
    }

    /** The mail transaction on a connection that is ready for it. */
    private CompletableFuture<Attempt> transact(Context context, int index, HopFailure last, boolean retried,
            Target target, HostPolicy policy, SmtpConnection connection) {
        List<Recipient> recipients = context.recipients();
        String unannounced = context.requireTls() == null ? null : RequireTlsHop.unannounced(connection);
        if (unannounced != null) {
            pool.release(connection, policy, true); // still good for messages without REQUIRETLS
            return skipForRequireTls(context, index, last, UnavailableDestinations.Result.REACHED, unannounced);
        }
        Transaction transaction = new Transaction(settings, connection, context.message(), recipients,
                nextHops.routed(context.domain()));
        Transaction.RecipientFailure refusal = transaction.unacceptable();
        if (refusal != null) {
            pool.release(connection, policy, true);
            return CompletableFuture.completedFuture(Attempt.failed(recipients, DeliveryStatus.BOUNCED,
                    refusal.enhancedCode(), refusal.reason(), target, connection.tlsDescription()));
        }
        int repliesBefore = connection.replies();
        boolean reused = connection.messages() > 0;
        return transaction.run().handle((outcome, error) -> {
            if (error == null) {
                pool.release(connection, policy, outcome.reusable());
                metrics.deliveredOver(policy.level(), connection.tlsDescription(), outcome.results());
                return CompletableFuture.completedFuture(new Attempt(outcome.results(), target.toString(),
                        connection.tlsDescription(), UnavailableDestinations.Result.REACHED, outcome.forwarded()));
            }
            pool.release(connection, policy, false);
            HopFailure hop = HopFailure.of(error, "4.4.2").at(target).over(connection.tlsDescription());
            if (connection.dotSent()) {
                // RFC 5321 6.1: after the dot the peer may have taken the message; offering it to
                // another host now would likely duplicate it. Retry later, as a deferral.
                return CompletableFuture.completedFuture(Attempt.failed(recipients, DeliveryStatus.DEFERRED,
                        "4.4.2", hop.getMessage(), target, connection.tlsDescription()));
            }
            if (reused && !retried && connection.replies() == repliesBefore) {
                // The peer closed an idle connection we meant to reuse: not a failure of the host.
                return tryHost(context, index, last, true, UnavailableDestinations.Result.REACHED);
            }
            LOG.info("{}: {}", context.message().queueId(), hop.getMessage());
            return tryHost(context, index + 1, telling(last, hop), false, UnavailableDestinations.Result.REACHED);
        }).thenCompose(next -> next);
    }

    /**
     * The failure the recipients are told about when every host failed: a TLS or authentication
     * failure (4.7.x) says more than a later host being unreachable, so it is kept.
     */
    private static HopFailure telling(HopFailure earlier, HopFailure later) {
        boolean earlierSecurity = earlier != null && earlier.enhancedCode().startsWith("4.7.");
        return earlierSecurity && !later.enhancedCode().startsWith("4.7.") ? earlier : later;
    }

    /**
     * The results of an attempt, the host that gave them ("none"), the TLS reached ("none"), and
     * what the attempt says of the destination's availability.
     */
    private record Attempt(List<RecipientResult> results, String relay, String tls, UnavailableDestinations.Result reach,
            String forwarded) {

        Attempt(List<RecipientResult> results, String relay, String tls, UnavailableDestinations.Result reach) {
            this(results, relay, tls, reach, "");
        }

        /** The same failure for every recipient; {@code target} is null when no host was reached. */
        static Attempt failed(List<Recipient> recipients, DeliveryStatus status, String code, String reason,
                Target target, String tls) {
            String host = target == null ? "" : target.host();
            return new Attempt(recipients.stream().map(r -> new RecipientResult(r, status, code, reason, host, false))
                    .toList(), target == null ? "none" : target.toString(), tls == null ? "none" : tls,
                    target == null ? UnavailableDestinations.Result.UNDECIDED : UnavailableDestinations.Result.REACHED);
        }

        Attempt reached(UnavailableDestinations.Result how) {
            return new Attempt(results, relay, tls, how, forwarded);
        }
    }

    private List<RecipientResult> log(QueuedMessage message, Attempt attempt) {
        String relay = attempt.relay();
        String tls = attempt.tls();
        String delay = seconds(Duration.between(message.envelope().arrival(), Instant.now()).toMillis());
        for (RecipientResult result : attempt.results()) {
            String status = switch (result.status()) {
                case DELIVERED -> "sent";
                case DEFERRED -> "deferred";
                case BOUNCED -> "bounced";
            };
            LOG.info("{}: to=<{}>, relay={}, delay={}, tls={}, {}dsn={}, status={} ({})", message.queueId(),
                    result.recipient().address(), relay, delay, tls,
                    attempt.forwarded().isEmpty() ? "" : "forwarded=" + attempt.forwarded() + ", ", result.enhancedCode(),
                    status, result.diagnostic());
            metrics.delivery(result);
        }
        return attempt.results();
    }

    /**
     * Seconds with two decimals, as Postfix's delay= shows them: always a dot, whatever the
     * locale, and no java.util.Formatter for every recipient delivered.
     */
    static String seconds(long millis) {
        long hundredths = (Math.max(0, millis) + 5) / 10;
        long fraction = hundredths % 100;
        return hundredths / 100 + (fraction < 10 ? ".0" : ".") + fraction;
    }

    /** recipient_verification = probe on mx listeners: probes over this client's connections. */
    public RecipientProbe recipientProbe(RecipientProbe.Settings probeSettings) {
        return new RecipientProbe(this, probeSettings);
    }

    /**
     * One probe of the next hop for {@code address}, host after host as a delivery goes, under the
     * same TLS policy: MAIL FROM:&lt;&gt;, RCPT TO, RSET (Postfix's verify(8) sends the same).
     */
    CompletableFuture<RecipientProbe.Verdict> probe(String domain, String address) {
        return nextHops.resolve(domain).thenCompose(resolution ->
                resolution.failure() != null
                        ? CompletableFuture.completedFuture(RecipientProbe.unreachable(address, resolution.enhancedCode(),
                                resolution.reason()))
                        : probeHost(domain, address, resolution, 0, null));
    }

    private CompletableFuture<RecipientProbe.Verdict> probeHost(String domain, String address,
            NextHops.Resolution resolution, int index, HopFailure last) {
        List<Target> targets = resolution.targets();
        if (index == targets.size()) {
            return CompletableFuture.completedFuture(RecipientProbe.unreachable(address,
                    last == null ? "4.4.1" : last.enhancedCode(), last == null ? "no next hop" : last.getMessage()));
        }
        Target target = targets.get(index);
        return policies.beforeConnect(new Hop(domain, target.host(), target.port(), resolution.mxSecure()))
                // A probe carries no mail: its sessions are not counted for TLS-RPT (docs/tlsrpt.md).
                .thenCompose(policy -> pool.acquire(target, policy, domain, () -> null, false)
                        .thenCompose(connection -> probeExchange(connection, policy, address)))
                .handle((verdict, failure) -> failure == null ? CompletableFuture.completedFuture(verdict)
                        : probeHost(domain, address, resolution, index + 1,
                                HopFailure.of(failure, "4.4.1").at(target)))
                .thenCompose(next -> next);
    }

    private CompletableFuture<RecipientProbe.Verdict> probeExchange(SmtpConnection connection, HostPolicy policy,
            String address) {
        Target target = connection.target();
        return connection.send("MAIL FROM:<>", settings.commandTimeout(), true).thenCompose(mail -> {
            if (!mail.positive()) {
                pool.release(connection, policy, mail.code() != 421);
                return CompletableFuture.completedFuture(RecipientProbe.verdict(address, target, mail, null));
            }
            return connection.send("RCPT TO:<" + address + ">", settings.commandTimeout(), true).thenCompose(rcpt ->
                    connection.send("RSET", settings.commandTimeout(), true).handle((rset, failed) -> {
                        pool.release(connection, policy, failed == null && rset.positive());
                        return RecipientProbe.verdict(address, target, mail, rcpt);
                    }));
        }).whenComplete((verdict, failure) -> {
            if (failure != null) {
                pool.release(connection, policy, false); // lost before any release above
            }
        });
    }

    /** Says goodbye to idle connections. */
    public void close() {
        pool.close();
    }
}
