package org.sealpost.transport.smtp.client;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.keyexchange.policy.HopPolicy;
import org.sealpost.keyexchange.policy.PolicyChain;
import org.sealpost.transport.queue.Deliverer;
import org.sealpost.transport.queue.DeliveryStatus;
import org.sealpost.transport.queue.QueuedMessage;
import org.sealpost.transport.queue.Recipient;
import org.sealpost.transport.queue.RecipientResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP client. A delivery attempt is: resolve the next hop, decide the TLS policy, then for
 * each host in turn get a connection (connect, greet, EHLO, STARTTLS, verify) and run the
 * transaction; a host that fails at the connection level hands over to the next one.
 */
public final class SmtpDeliverer implements Deliverer {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpDeliverer.class);

    private final ClientSettings settings;
    private final PolicyChain policies;
    private final NextHops nextHops;
    private final ConnectionPool pool;

    public SmtpDeliverer(ClientSettings settings, DnsResolver dns, PolicyChain policies, EventLoopGroup group,
            Class<? extends Channel> channelType) {
        this.settings = settings;
        this.policies = policies;
        this.nextHops = new NextHops(settings.routes(), dns, new Random());
        this.pool = new ConnectionPool(new Connector(settings, group, channelType), settings, group);
    }

    @Override
    public CompletableFuture<List<RecipientResult>> deliver(QueuedMessage message, String domain,
            List<Recipient> recipients) {
        return policies.decide(domain)
                .thenCompose(policy -> nextHops.resolve(domain).thenCompose(resolution -> {
                    if (resolution.failure() != null) {
                        return CompletableFuture.completedFuture(Attempt.failed(recipients, resolution.failure(),
                                resolution.enhancedCode(), resolution.reason(), null, null));
                    }
                    return tryHost(message, domain, recipients, policy, resolution, 0, null, false);
                }))
                .exceptionally(failure -> Attempt.failed(recipients, DeliveryStatus.DEFERRED, "4.3.0",
                        "local error in delivery: " + failure, null, null))
                .thenApply(attempt -> log(message, attempt));
    }

    /** One host of the list; on a connection-level failure, the next one. */
    private CompletableFuture<Attempt> tryHost(QueuedMessage message, String domain, List<Recipient> recipients,
            HopPolicy domainPolicy, NextHops.Resolution resolution, int index, HopFailure last, boolean retried) {
        List<Target> targets = resolution.targets();
        if (index == targets.size()) {
            // The last host tried is the one the log and the report name.
            return CompletableFuture.completedFuture(Attempt.failed(recipients, DeliveryStatus.DEFERRED,
                    last.enhancedCode(), last.getMessage(), last.target(), null));
        }
        Target target = targets.get(index);
        // The host's own policy first (DANE looks up its TLSA records), then a connection that meets it.
        return domainPolicy.forHost(target.host(), target.port(), domain, resolution.mxSecure())
                .thenCompose(policy -> pool.acquire(target, policy, domain).thenApply(connection -> Map.entry(policy, connection)))
                .handle((acquired, failure) -> {
            if (failure != null) {
                HopFailure hop = HopFailure.of(failure, "4.4.1").at(target);
                LOG.info("{}: {}", message.queueId(), hop.getMessage());
                return tryHost(message, domain, recipients, domainPolicy, resolution, index + 1, telling(last, hop), false);
            }
            HopPolicy policy = acquired.getKey();
            SmtpConnection connection = acquired.getValue();
            Transaction transaction = new Transaction(settings, connection, message, recipients);
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
                    return CompletableFuture.completedFuture(new Attempt(outcome.results(), target.toString(),
                            connection.tlsDescription()));
                }
                pool.release(connection, policy, false);
                HopFailure hop = HopFailure.of(error, "4.4.2").at(target);
                if (connection.dotSent()) {
                    // RFC 5321 6.1: after the dot the peer may have taken the message; offering it to
                    // another host now would likely duplicate it. Retry later, as a deferral.
                    return CompletableFuture.completedFuture(Attempt.failed(recipients, DeliveryStatus.DEFERRED,
                            "4.4.2", hop.getMessage(), target, connection.tlsDescription()));
                }
                if (reused && !retried && connection.replies() == repliesBefore) {
                    // The peer closed an idle connection we meant to reuse: not a failure of the host.
                    return tryHost(message, domain, recipients, domainPolicy, resolution, index, last, true);
                }
                LOG.info("{}: {}", message.queueId(), hop.getMessage());
                return tryHost(message, domain, recipients, domainPolicy, resolution, index + 1, telling(last, hop), false);
            }).thenCompose(next -> next);
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

    /** The results of an attempt, the host that gave them ("none") and the TLS reached ("none"). */
    private record Attempt(List<RecipientResult> results, String relay, String tls) {

        /** The same failure for every recipient; {@code target} is null when no host was reached. */
        static Attempt failed(List<Recipient> recipients, DeliveryStatus status, String code, String reason,
                Target target, String tls) {
            String host = target == null ? "" : target.host();
            return new Attempt(recipients.stream().map(r -> new RecipientResult(r, status, code, reason, host, false))
                    .toList(), target == null ? "none" : target.toString(), tls == null ? "none" : tls);
        }
    }

    private List<RecipientResult> log(QueuedMessage message, Attempt attempt) {
        String relay = attempt.relay();
        String tls = attempt.tls();
        double delay = Duration.between(message.envelope().arrival(), Instant.now()).toMillis() / 1000.0;
        for (RecipientResult result : attempt.results()) {
            String status = switch (result.status()) {
                case DELIVERED -> "sent";
                case DEFERRED -> "deferred";
                case BOUNCED -> "bounced";
            };
            LOG.info("{}: to=<{}>, relay={}, delay={}, tls={}, dsn={}, status={} ({})", message.queueId(),
                    result.recipient().address(), relay, String.format("%.2f", delay), tls, result.enhancedCode(), status,
                    result.diagnostic());
        }
        return attempt.results();
    }

    /** Says goodbye to idle connections. */
    public void close() {
        pool.close();
    }
}
