package org.sealpost.transport.tlsrpt;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.queue.MessageSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS reporting (RFC 8460, docs/tlsrpt.md): counts the outcome of each outbound SMTP session under
 * the policy that applied, day by day, and sends each policy domain that asks for them
 * ({@code _smtp._tls} TXT record) one aggregate report per UTC day.
 *
 * <p>What a delivery calls, once per connection (RFC 8460 4.1 counts sessions, not messages):
 * <ul>
 *   <li>{@link #success(AppliedPolicy)} when the session's TLS met the policy;
 *   <li>{@link #failure(AppliedPolicy, FailureDetail)} when it did not, with the RFC 8460 result type;
 *   <li>neither for a message that {@link #isReport(Envelope)} says is a report itself, as RFC 8460
 *       5.1 asks (reports about the delivery of reports could loop).
 * </ul>
 * The counts are saved to {@code queue_directory/tlsrpt} every minute and at {@link #close()}.
 */
public final class TlsReporting implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TlsReporting.class);

    /** The listener name in the envelope of the reports Sealpost queues: how a report is known. */
    public static final String LISTENER = "tlsrpt";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ReportStore store;
    private final Clock clock;
    private final ScheduledExecutorService saver;

    TlsReporting(ReportStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.saver = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tlsrpt-save");
            thread.setDaemon(true);
            return thread;
        });
        saver.scheduleWithFixedDelay(this::saveQuietly, 1, 1, TimeUnit.MINUTES);
    }

    /** Opens the counts kept in {@code queue_directory/tlsrpt}. */
    public static TlsReporting open(Path queueDirectory) throws IOException {
        return open(queueDirectory, Clock.systemUTC());
    }

    /** The same with a clock of the caller's (tests). */
    public static TlsReporting open(Path queueDirectory, Clock clock) throws IOException {
        return new TlsReporting(new ReportStore(directory(queueDirectory)), clock);
    }

    /** Where the counts are kept. */
    public static Path directory(Path queueDirectory) {
        return queueDirectory.resolve("tlsrpt");
    }

    /** Whether a queued message is a TLS report, whose delivery must not be counted (RFC 8460 5.1). */
    public static boolean isReport(Envelope envelope) {
        return envelope.client().listener().equals(LISTENER);
    }

    /** One session whose TLS satisfied {@code policy}. */
    public void success(AppliedPolicy policy) {
        store.success(today(), policy);
    }

    /** One session that failed {@code policy} as {@code detail} says. */
    public void failure(AppliedPolicy policy, FailureDetail detail) {
        store.failure(today(), policy, detail);
    }

    /** The sessions counted under one policy on one day: successes, and failures by kind. */
    public record Counted(long successes, java.util.Map<FailureDetail, Long> failures) {

        public Counted {
            failures = java.util.Map.copyOf(failures);
        }
    }

    /** What has been counted on {@code day} so far, per policy (tests and diagnostics). */
    public java.util.Map<AppliedPolicy, Counted> counted(LocalDate day) {
        java.util.Map<AppliedPolicy, Counted> all = new java.util.LinkedHashMap<>();
        for (String domain : store.policyDomains(day)) {
            store.results(day, domain).forEach((policy, tally) ->
                    all.put(policy, new Counted(tally.successes, tally.failures)));
        }
        return all;
    }

    /**
     * Sends the reports of the days before today (and today's with {@code includeToday}): for each
     * policy domain with counts, looks up its {@code _smtp._tls} record and queues one mail per
     * mailto: address into {@code queue} and POSTs to each https: URL. A domain's counts are
     * forgotten once one of its addresses took the report, or when it publishes no record; a
     * lookup or delivery failure keeps them for the next run, for up to {@link ReportSending#KEEP_DAYS}.
     *
     * @return one line per report, as logged
     */
    public List<String> send(ReportSettings settings, DnsResolver dns, MessageSink queue, boolean includeToday)
            throws IOException {
        List<String> lines = new ReportSending(store, settings, dns, queue, clock).send(includeToday);
        store.save();
        return lines;
    }

    /** The TLS context the https POSTs trust: {@code caFile}'s PEM certificates (tls_ca_file), or the JDK's when null. */
    public static javax.net.ssl.SSLContext trusting(Path caFile) throws IOException, java.security.GeneralSecurityException {
        return ReportPoster.trusting(caFile);
    }

    /**
     * Sends the reports once a day from now on, as the relay does: each round starts at 00:00 UTC plus
     * a random delay of up to an hour ({@link #nextRound}), so that senders do not all post at
     * midnight (RFC 8460 4.1 leaves the time to the sender), and sends the day that just ended and any
     * earlier day still pending. A round's failure is logged; the next round tries again.
     */
    public void sendDaily(ReportSettings settings, DnsResolver dns, MessageSink queue) {
        scheduleRound(settings, dns, queue);
    }

    private void scheduleRound(ReportSettings settings, DnsResolver dns, MessageSink queue) {
        Duration wait = Duration.between(clock.instant(), nextRound(clock.instant(), RANDOM.nextInt(3600)));
        saver.schedule(() -> {
            try {
                send(settings, dns, queue, false);
            } catch (IOException | RuntimeException e) {
                LOG.warn("warning: the TLS reports were not sent ({}); tried again in the next round", e.getMessage());
            }
            scheduleRound(settings, dns, queue);
        }, Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** When the round after {@code now} starts: the next 00:00 UTC plus {@code delaySeconds}. */
    static Instant nextRound(Instant now, int delaySeconds) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                .plusSeconds(delaySeconds);
    }

    /** Writes the counts to disk now. */
    public void save() throws IOException {
        store.save();
    }

    private void saveQuietly() {
        try {
            store.save();
        } catch (IOException | RuntimeException e) {
            LOG.warn("warning: cannot save the TLS-RPT counts in {} ({}); kept in memory, tried again in a minute",
                    "queue_directory/tlsrpt", e.getMessage());
        }
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** Stops the minute's saving and saves once more. */
    @Override
    public void close() {
        saver.shutdownNow();
        saveQuietly();
    }
}
