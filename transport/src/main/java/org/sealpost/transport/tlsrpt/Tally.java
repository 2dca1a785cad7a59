package org.sealpost.transport.tlsrpt;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sessions of one day under one policy: how many succeeded, and how many failed each way
 * (RFC 8460 4.2 summary and 4.3 failure-details). Mutable; guarded by its {@link ReportStore}.
 */
final class Tally {

    long successes;
    final Map<FailureDetail, Long> failures = new LinkedHashMap<>();

    long failureCount() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }

    void add(Tally other) {
        successes += other.successes;
        other.failures.forEach((detail, count) -> failures.merge(detail, count, Long::sum));
    }
}
