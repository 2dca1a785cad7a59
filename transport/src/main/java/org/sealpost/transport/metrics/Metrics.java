package org.sealpost.transport.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.sealpost.dnssec.CachingDnsResolver;
import org.sealpost.keyexchange.pins.PinCounters;
import org.sealpost.keyexchange.policy.TlsLevel;
import org.sealpost.signing.arc.ArcStatus;
import org.sealpost.signing.dkim.DkimResult;
import org.sealpost.signing.dmarc.DmarcResult;
import org.sealpost.signing.dmarc.Policy;
import org.sealpost.signing.spf.SpfResult;
import org.sealpost.transport.queue.DeliveryStatus;
import org.sealpost.transport.queue.MailQueue;
import org.sealpost.transport.queue.RecipientResult;

/**
 * Every metric of the relay, by name, and how each event is recorded (docs/operations.md lists them).
 * The rest of the relay calls one method where it writes the event's log line; without
 * {@code metrics_address} the same calls go to a registry that keeps nothing.
 *
 * <p>Names follow the Prometheus conventions: a {@code sealpost_} prefix, {@code _total} on counters
 * (added by the registry), base units. Label values come from small fixed sets: never an address, a
 * domain or a reply text.
 */
public final class Metrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final JvmGcMetrics gc;

    private Metrics(MeterRegistry registry, PrometheusMeterRegistry prometheus, JvmGcMetrics gc) {
        this.registry = registry;
        this.prometheus = prometheus;
        this.gc = gc;
    }

    /** Metrics that record nothing, for a relay without metrics_address (and tests that do not look). */
    public static Metrics none() {
        return new Metrics(new CompositeMeterRegistry(), null, null);
    }

    /** Metrics for the Prometheus endpoint, with the JVM's own figures. */
    public static Metrics prometheus() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics(); // listens to the JVM's GC notifications until closed
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return new Metrics(registry, registry, gc);
    }

    /** Over a given registry, for tests that read the counts back. */
    static Metrics over(MeterRegistry registry) {
        return new Metrics(registry, null, null);
    }

    /** Stops listening to the JVM and lets go of every meter. */
    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }

    MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus exposition, or null when these metrics are not for Prometheus. */
    PrometheusMeterRegistry prometheusRegistry() {
        return prometheus;
    }

    // Counters: one method per event, called where its log line is written.

    /**
     * A listener's answer to a message (at the end of DATA or BDAT) or to a recipient it refused at RCPT:
     * accepted (2xx), deferred (4xx) or refused (5xx).
     *
     * @param stage "rcpt" or "data"
     * @param reply the reply as sent, e.g. "250 2.0.0 Ok: queued as ..."
     */
    public void received(String listener, String stage, String reply) {
        char first = reply == null || reply.isEmpty() ? '4' : reply.charAt(0);
        String result = first == '2' ? "accepted" : first == '5' ? "refused" : "deferred";
        Counter.builder("sealpost.messages.received")
                .description("Messages accepted, deferred or refused by a listener; at RCPT, per refused recipient")
                .tags("listener", listener, "stage", stage, "result", result)
                .register(registry).increment();
    }

    /** One recipient's result of a delivery attempt, as the status= log line reports it. */
    public void delivery(RecipientResult result) {
        String status = switch (result.status()) {
            case DELIVERED -> "sent";
            case DEFERRED -> "deferred";
            case BOUNCED -> "bounced";
        };
        deliveries(status, ReasonClass.of(result));
    }

    /** A recipient returned to its sender because queue_lifetime ran out (status=expired). */
    public void expired() {
        deliveries("bounced", ReasonClass.EXPIRED);
    }

    private void deliveries(String status, ReasonClass reason) {
        Counter.builder("sealpost.deliveries")
                .description("Recipient results of delivery attempts: sent, deferred (per attempt) or bounced, by reason class")
                .tags("status", status, "class", reason.label())
                .register(registry).increment();
    }

    /**
     * The TLS level the recipients delivered in one transaction reached.
     *
     * @param level the level the delivery's policy asked for (decides between encrypt and may)
     * @param tls the log's tls= text
     */
    public void deliveredOver(TlsLevel level, String tls, List<RecipientResult> results) {
        long delivered = results.stream().filter(r -> r.status() == DeliveryStatus.DELIVERED).count();
        if (delivered > 0) {
            Counter.builder("sealpost.delivery.tls")
                    .description("Delivered recipients by the TLS level their delivery reached")
                    .tags("level", TlsReached.of(level, tls).label())
                    .register(registry).increment(delivered);
        }
    }

    /**
     * One outbound session's TLS outcome as TLS-RPT counts it (docs/tlsrpt.md), whether or not
     * reporting is on: the policy-type and "success" or the RFC 8460 4.3 result-type.
     */
    public void tlsrptSession(String policyType, String result) {
        Counter.builder("sealpost.tlsrpt.sessions")
                .description("Outbound SMTP sessions by TLS-RPT policy type and result (success or the RFC 8460 result type)")
                .tags("policy", policyType, "result", result).register(registry).increment();
    }

    /** A submission listener added a DKIM-Signature field (one or more signatures) to a message. */
    public void dkimSigned() {
        Counter.builder("sealpost.dkim.signed").description("Messages DKIM-signed by a submission listener")
                .register(registry).increment();
    }

    /**
     * The inbound checks of one message on an mx listener, as the "checks:" log line reports them.
     *
     * @param dkim one result per signature; none counts once as "none"
     * @param dmarc null when no DMARC verdict was possible (not exactly one From address)
     * @param disposition what DMARC asked for (none, quarantine, reject), null with {@code dmarc}
     * @param action the verdict: accept, quarantine, reject or defer
     */
    public void checked(SpfResult spf, List<DkimResult> dkim, ArcStatus arc, DmarcResult dmarc, Policy disposition,
            String action) {
        Counter.builder("sealpost.spf.results").description("SPF results of arriving messages")
                .tags("result", lower(spf)).register(registry).increment();
        if (dkim.isEmpty()) {
            dkimResult("none");
        }
        dkim.forEach(result -> dkimResult(lower(result.verdict())));
        Counter.builder("sealpost.arc.results").description("ARC chain validation results of arriving messages")
                .tags("result", lower(arc)).register(registry).increment();
        Counter.builder("sealpost.dmarc.results").description("DMARC results of arriving messages, with the policy to apply")
                .tags("result", dmarc == null ? "none" : lower(dmarc), "disposition",
                        disposition == null ? "none" : lower(disposition))
                .register(registry).increment();
        Counter.builder("sealpost.inbound.verdicts").description("What mx listeners did with arriving messages")
                .tags("action", action.toLowerCase(Locale.ROOT)).register(registry).increment();
    }

    private void dkimResult(String result) {
        Counter.builder("sealpost.dkim.results").description("DKIM verification results of arriving signatures")
                .tags("result", result).register(registry).increment();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    // Gauges and function counters: read state the relay keeps anyway, at each scrape.

    /** The queue's size and the age of its oldest message. */
    public void watchQueue(MailQueue queue) {
        Gauge.builder("sealpost.queue.messages", queue, MailQueue::size)
                .description("Messages in the queue (received and not yet finished)").strongReference(true)
                .register(registry);
        Gauge.builder("sealpost.queue.oldest.message.age", queue, q -> q.oldestArrival()
                        .map(arrival -> Math.max(0, Duration.between(arrival, Instant.now()).toMillis() / 1000.0)).orElse(0.0))
                .description("Age of the oldest message in the queue; 0 when the queue is empty").baseUnit("seconds")
                .strongReference(true).register(registry);
    }

    /** The open connections of one listener. */
    public void watchListener(String listener, Supplier<Integer> openConnections) {
        Gauge.builder("sealpost.connections.open", openConnections, open -> open.get())
                .description("Open client connections of a listener").tags("listener", listener).strongReference(true)
                .register(registry);
    }

    /** The DNS answer cache's hits and misses (dns_cache_size). */
    public void watchDnsCache(CachingDnsResolver cache) {
        // A function counter holds its object weakly: the resolver itself, which the relay holds.
        FunctionCounter.builder("sealpost.dns.cache.requests", cache, c -> c.stats().hitCount())
                .description("Lookups answered from the DNS cache (hit) or asked of the resolvers (miss)")
                .tags("result", "hit").register(registry);
        FunctionCounter.builder("sealpost.dns.cache.requests", cache, c -> c.stats().missCount())
                .description("Lookups answered from the DNS cache (hit) or asked of the resolvers (miss)")
                .tags("result", "miss").register(registry);
    }

    /** The XKEYS pin events since start, as `sealpost pins stats` names them. */
    public void watchPins(PinCounters counters) {
        for (String event : counters.snapshot().keySet()) {
            FunctionCounter.builder("sealpost.pin.events", counters, c -> c.snapshot().getOrDefault(event, 0L))
                    .description("XKEYS pin events: first contacts, hash hits, key set fetches, rollovers, violations, "
                            + "refused first contacts")
                    .tags("event", event).register(registry);
        }
    }
}
