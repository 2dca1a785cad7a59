package org.sealpost.transport.tlsrpt;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.sealpost.cache.DurableStore;

/**
 * The day's session counts per policy, kept in memory and written to {@code queue_directory/tlsrpt}
 * (one {@link DurableStore} record per UTC day: written to a temporary file, synced and renamed, so
 * a crash leaves the last written state of a day, never a mix). Counts change in memory and reach
 * the disk at {@link #save()}, which the owner calls every minute and at close: a crash loses at most
 * the sessions counted since the last save, which only makes a report count fewer.
 *
 * <p>The record is text, one line per policy and one per failure kind below it, every field
 * URL-encoded so that a space, a comma or a line end in a policy string cannot break the form:
 * <pre>
 * sealpost-tlsrpt 1
 * policy TYPE =DOMAIN =MX,MX =STRING,STRING SUCCESSES
 * failure RESULT-TYPE =SENDING-IP =MX-NAME =MX-HELO =RECEIVING-IP =INFO =CODE COUNT
 * </pre>
 */
final class ReportStore {

    private static final String MAGIC = "sealpost-tlsrpt 1";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReportStore.class);

    private final DurableStore store;
    private final TreeMap<LocalDate, Map<AppliedPolicy, Tally>> days = new TreeMap<>();
    private final Set<LocalDate> changed = new HashSet<>();

    /** Opens the store in {@code directory} (created when missing) and reads the days kept there. */
    ReportStore(Path directory) throws IOException {
        this.store = new DurableStore(directory);
        for (String key : store.keys()) {
            LocalDate day;
            try {
                day = LocalDate.parse(key);
            } catch (java.time.format.DateTimeParseException e) {
                continue; // not a day of ours
            }
            Optional<byte[]> record = store.get(key);
            if (record.isPresent()) {
                try {
                    days.put(day, parse(new String(record.get(), StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    // Passed its checksum but is not ours to read (another version wrote it?): not reported.
                    LOG.warn("warning: TLS-RPT counts of {} in {} are unreadable ({}); that day is not reported",
                            key, directory, e.getMessage());
                }
            }
        }
    }

    /** Counts one successful session on {@code day} under {@code policy}. */
    synchronized void success(LocalDate day, AppliedPolicy policy) {
        tally(day, policy).successes++;
    }

    /** Counts one failed session on {@code day} under {@code policy}. */
    synchronized void failure(LocalDate day, AppliedPolicy policy, FailureDetail detail) {
        tally(day, policy).failures.merge(detail, 1L, Long::sum);
    }

    private Tally tally(LocalDate day, AppliedPolicy policy) {
        changed.add(day);
        return days.computeIfAbsent(day, d -> new LinkedHashMap<>()).computeIfAbsent(policy, p -> new Tally());
    }

    /** The days that have counts, oldest first. */
    synchronized List<LocalDate> days() {
        return List.copyOf(days.keySet());
    }

    /** The counts of {@code day} for the policies of {@code policyDomain}, a copy; empty when none. */
    synchronized Map<AppliedPolicy, Tally> results(LocalDate day, String policyDomain) {
        Map<AppliedPolicy, Tally> copy = new LinkedHashMap<>();
        days.getOrDefault(day, Map.of()).forEach((policy, tally) -> {
            if (policy.domain().equals(policyDomain)) {
                Tally t = new Tally();
                t.add(tally);
                copy.put(policy, t);
            }
        });
        return copy;
    }

    /** The policy domains with counts on {@code day}, in the order first counted. */
    synchronized List<String> policyDomains(LocalDate day) {
        return days.getOrDefault(day, Map.of()).keySet().stream().map(AppliedPolicy::domain).distinct().toList();
    }

    /** Forgets the counts of {@code day} for {@code policyDomain}: reported, or given up on. */
    synchronized void remove(LocalDate day, String policyDomain) {
        Map<AppliedPolicy, Tally> results = days.get(day);
        if (results != null && results.keySet().removeIf(policy -> policy.domain().equals(policyDomain))) {
            changed.add(day);
        }
    }

    /** Writes the days changed since the last save; a day with nothing left is removed from disk. */
    synchronized void save() throws IOException {
        for (LocalDate day : List.copyOf(changed)) {
            Map<AppliedPolicy, Tally> results = days.get(day);
            if (results == null || results.isEmpty()) {
                days.remove(day);
                store.remove(day.toString());
            } else {
                store.put(day.toString(), format(results).getBytes(StandardCharsets.UTF_8));
            }
            changed.remove(day);
        }
    }

    static String format(Map<AppliedPolicy, Tally> results) {
        StringBuilder text = new StringBuilder(MAGIC).append('\n');
        results.forEach((policy, tally) -> {
            text.append("policy ").append(policy.type().wireName()).append(' ').append(field(policy.domain()))
                    .append(' ').append(list(policy.mxHosts())).append(' ').append(list(policy.strings()))
                    .append(' ').append(tally.successes).append('\n');
            tally.failures.forEach((detail, count) -> text.append("failure ").append(detail.resultType().wireName())
                    .append(' ').append(field(detail.sendingMtaIp())).append(' ').append(field(detail.receivingMxHostname()))
                    .append(' ').append(field(detail.receivingMxHelo())).append(' ').append(field(detail.receivingIp()))
                    .append(' ').append(field(detail.additionalInformation())).append(' ')
                    .append(field(detail.failureReasonCode())).append(' ').append(count).append('\n'));
        });
        return text.toString();
    }

    static Map<AppliedPolicy, Tally> parse(String text) throws IOException {
        List<String> lines = text.lines().toList();
        if (lines.isEmpty() || !lines.get(0).equals(MAGIC)) {
            throw new IOException("not a TLS-RPT record (no '" + MAGIC + "' line)");
        }
        Map<AppliedPolicy, Tally> results = new LinkedHashMap<>();
        Tally current = null;
        try {
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(" ", -1);
                if (f[0].equals("policy") && f.length == 6) {
                    AppliedPolicy policy = new AppliedPolicy(PolicyType.of(f[1]), unlist(f[4]), unfield(f[2]), unlist(f[3]));
                    current = results.computeIfAbsent(policy, p -> new Tally());
                    current.successes += Long.parseLong(f[5]);
                } else if (f[0].equals("failure") && f.length == 9 && current != null) {
                    FailureDetail detail = new FailureDetail(ResultType.of(f[1]), unfield(f[2]), unfield(f[3]),
                            unfield(f[4]), unfield(f[5]), unfield(f[6]), unfield(f[7]));
                    current.failures.merge(detail, Long.parseLong(f[8]), Long::sum);
                } else {
                    throw new IOException("unexpected line '" + line + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("unreadable TLS-RPT record (" + e.getMessage() + ")", e);
        }
        return results;
    }

    private static String field(String value) {
        return "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String list(List<String> values) {
        return "=" + String.join(",", values.stream().map(v -> URLEncoder.encode(v, StandardCharsets.UTF_8)).toList());
    }

    private static String unfield(String value) {
        if (!value.startsWith("=")) {
            throw new IllegalArgumentException("field '" + value + "' does not start with '='");
        }
        return URLDecoder.decode(value.substring(1), StandardCharsets.UTF_8);
    }

    private static List<String> unlist(String value) {
        if (!value.startsWith("=")) {
            throw new IllegalArgumentException("list '" + value + "' does not start with '='");
        }
        String body = value.substring(1);
        // URL encoding turns a comma inside an item into %2C, so the raw commas separate the items
        return body.isEmpty() ? List.of()
                : Arrays.stream(body.split(",", -1)).map(v -> URLDecoder.decode(v, StandardCharsets.UTF_8)).toList();
    }
}
