package org.sealpost.transport.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.sealpost.cache.DurableStore;
import org.sealpost.keyexchange.pins.PinCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pin counters, logged as one statistics line and kept in the state store (for
 * `sealpost pins stats`) once a minute when they changed, and at stop.
 */
public final class PinStatistics implements AutoCloseable {

    /** The state record that holds the last counts, for `sealpost pins stats`. */
    public static final String RECORD = "xkeys-pin-counters";

    private static final Logger LOG = LoggerFactory.getLogger(PinStatistics.class);

    private final PinCounters counters;
    private final DurableStore state;
    private String last = "";

    PinStatistics(PinCounters counters, DurableStore state, ScheduledExecutorService timer) {
        this.counters = counters;
        this.state = state;
        this.last = counters.toString(); // nothing to report until something happened
        timer.scheduleWithFixedDelay(this::report, 1, 1, TimeUnit.MINUTES);
    }

    private synchronized void report() {
        String line = counters.toString();
        if (line.equals(last)) {
            return;
        }
        last = line;
        LOG.info("xkeys statistics: {}", line);
        try {
            state.put(RECORD, (line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.warn("warning: cannot keep the pin counters: {}", e.getMessage());
        }
    }

    /** The last report, at stop (after the timer has stopped). */
    @Override
    public void close() {
        report();
    }
}
