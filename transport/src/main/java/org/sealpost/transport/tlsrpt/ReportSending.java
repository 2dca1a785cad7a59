package org.sealpost.transport.tlsrpt;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.Outcome;
import org.sealpost.dnssec.Security;
import org.sealpost.transport.queue.BodyType;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.queue.Incoming;
import org.sealpost.transport.queue.MessageSink;
import org.sealpost.transport.queue.Recipient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of sending: for each pending day and policy domain, the domain's {@code _smtp._tls}
 * record, the report, and its delivery to every rua address (RFC 8460 5).
 */
final class ReportSending {

    private static final Logger LOG = LoggerFactory.getLogger(ReportSending.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How long a day's counts wait for a domain whose record cannot be looked up or whose addresses fail. */
    static final int KEEP_DAYS = 7;

    private final ReportStore store;
    private final ReportSettings settings;
    private final DnsResolver dns;
    private final MessageSink queue;
    private final ReportPoster poster;
    private final Clock clock;

    ReportSending(ReportStore store, ReportSettings settings, DnsResolver dns, MessageSink queue, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.dns = dns;
        this.queue = queue;
        this.poster = new ReportPoster(settings.tls());
        this.clock = clock;
    }

    List<String> send(boolean includeToday) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<String> lines = new ArrayList<>();
        for (LocalDate day : store.days()) {
            if (day.isAfter(today) || (day.equals(today) && !includeToday)) {
                continue;
            }
            for (String domain : store.policyDomains(day)) {
                String line = sendOne(day, domain, today);
                LOG.info(line);
                lines.add(line);
            }
        }
        return lines;
    }

    private String sendOne(LocalDate day, String domain, LocalDate today) {
        String name = "_smtp._tls." + domain;
        DnsAnswer<String> answer;
        try {
            answer = dns.txt(name).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            answer = DnsAnswer.failed(Outcome.SERVFAIL, Security.INSECURE, String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return keep(day, domain, today, "interrupted");
        }
        if (answer.outcome() == Outcome.NXDOMAIN || answer.outcome() == Outcome.NODATA) {
            store.remove(day, domain);
            return "tlsrpt: " + domain + " " + day + ": no report, " + name + " has no TXT record";
        }
        if (!answer.found()) {
            return keep(day, domain, today, name + " lookup failed (" + answer.reason() + ")");
        }
        Optional<TlsRptRecord> record = TlsRptRecord.select(answer.records());
        if (record.isEmpty()) {
            store.remove(day, domain);
            return "tlsrpt: " + domain + " " + day + ": no report, " + name + " has no valid v=TLSRPTv1 record "
                    + "(RFC 8460 3)";
        }
        Map<AppliedPolicy, Tally> results = store.results(day, domain);
        AggregateReport report = new AggregateReport(settings.organization(), settings.contact(), settings.submitter(),
                day, domain, reportId(day, domain), results);
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (URI rua : record.get().rua()) {
            String why = rua.getScheme().equalsIgnoreCase("https") ? poster.post(rua, report) : mail(report, rua);
            (why.isEmpty() ? done : failed).add(why.isEmpty() ? rua.toString() : rua + " (" + why + ")");
        }
        String summary = "tlsrpt: " + domain + " " + day + ": report-id=<" + report.reportId() + ">"
                + (done.isEmpty() ? "" : ", sent to " + String.join(", ", done))
                + (failed.isEmpty() ? "" : ", failed: " + String.join(", ", failed));
        if (done.isEmpty()) {
            return keep(day, domain, today, summary);
        }
        store.remove(day, domain);
        return summary;
    }

    /** Keeps the counts for the next run, unless they have waited long enough. */
    private String keep(LocalDate day, String domain, LocalDate today, String why) {
        if (day.plusDays(KEEP_DAYS).isBefore(today)) {
            store.remove(day, domain);
            return why + "; given up after " + KEEP_DAYS + " days";
        }
        return why.startsWith("tlsrpt:") ? why + "; kept for the next run"
                : "tlsrpt: " + domain + " " + day + ": " + why + "; kept for the next run";
    }

    /** Queues the mail form to one mailto: address; "" when queued, otherwise why not. */
    private String mail(AggregateReport report, URI mailto) {
        String part = mailto.getSchemeSpecificPart();
        String to = part.contains("?") ? part.substring(0, part.indexOf('?')) : part;
        Instant now = clock.instant();
        byte[] message = ReportMail.write(report, settings.from(), to, settings.hostname(), now, settings.keys());
        // The listener name marks the message as a report, so its own delivery is not counted (RFC 8460 5.1).
        Envelope envelope = new Envelope(settings.from(), List.of(Recipient.of(to)), BodyType.SEVEN_BIT, false, "", "",
                new Envelope.ClientInfo("127.0.0.1", settings.hostname(), "local", "", "", TlsReporting.LISTENER), now);
        try {
            Incoming incoming = queue.receive(envelope);
            try {
                incoming.write(ByteBuffer.wrap(message));
            } catch (IOException | RuntimeException e) {
                incoming.abort();
                throw e;
            }
            String id = incoming.commit().get(60, TimeUnit.SECONDS);
            return id.isEmpty() ? "not queued" : "";
        } catch (IOException | ExecutionException | TimeoutException e) {
            return "cannot queue the report: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** RFC 8460 4.4: unique; the day, the domain, random octets, and the submitter. */
    private String reportId(LocalDate day, String domain) {
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        return day.toString().replace("-", "") + "." + HexFormat.of().formatHex(random) + "." + domain + "@"
                + settings.submitter();
    }

}
