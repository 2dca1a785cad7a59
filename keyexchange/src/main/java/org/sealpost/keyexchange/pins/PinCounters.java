package org.sealpost.keyexchange.pins;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of the pin events since start: first contacts, hash hits, key set fetches, rollovers,
 * violations (refused under enforce, reported under testing), and refused first contacts.
 */
public final class PinCounters {

    final LongAdder firstContacts = new LongAdder();
    final LongAdder hashHits = new LongAdder();
    final LongAdder fetches = new LongAdder();
    final LongAdder rollovers = new LongAdder();
    final LongAdder violations = new LongAdder();
    final LongAdder refusedFirstContacts = new LongAdder();

    /** The counts by name, in a fixed order (also the order of the statistics line). */
    public Map<String, Long> snapshot() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("first_contact", firstContacts.sum());
        counts.put("hash_hit", hashHits.sum());
        counts.put("fetch", fetches.sum());
        counts.put("rollover", rollovers.sum());
        counts.put("violation", violations.sum());
        counts.put("refused_first_contact", refusedFirstContacts.sum());
        return counts;
    }

    /** "first_contact=1 hash_hit=4 ...", as the statistics log line and `sealpost pins stats` print it. */
    @Override
    public String toString() {
        StringBuilder line = new StringBuilder();
        snapshot().forEach((name, count) -> line.append(line.length() == 0 ? "" : " ").append(name).append('=').append(count));
        return line.toString();
    }
}
