package org.sealpost.transport.smtp.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Next hops whose hosts all refused the connection or did not answer, as Postfix's queue manager
 * keeps its dead destinations: while one is marked, its messages are deferred at once with the
 * reason of the failure, without a connection each. When the period is over, one attempt probes
 * again (the others keep deferring until it is done); a probe that reaches a host clears the mark,
 * one that does not marks the destination for another period.
 */
final class UnavailableDestinations {

    /** One delivery attempt's view of its destination; the probe is the one attempt let through. */
    static final class Ticket {
        final String destination;
        private boolean probe;

        private Ticket(String destination) {
            this.destination = destination;
        }
    }

    /** How an attempt ended, as far as the destination's availability goes. */
    enum Result {
        /** A host accepted the TCP connection (whatever it answered then). */
        REACHED,
        /** Every host tried refused the connection, timed out or could not be routed to. */
        UNREACHABLE,
        /** Neither: no host was tried (a DNS failure, a policy that refused every host). */
        UNDECIDED
    }

    private static final class Mark {
        final String reason;
        final String enhancedCode;
        final Instant since;
        Instant until;
        boolean probing;

        Mark(String reason, String enhancedCode, Instant since, Instant until) {
            this.reason = reason;
            this.enhancedCode = enhancedCode;
            this.since = since;
            this.until = until;
        }
    }

    /** Why an attempt was not let through: the failure that marked its destination. */
    record Suspension(String enhancedCode, String reason) {
    }

    /** A change of a destination's state, for the log line of the attempt that caused it. */
    record Change(String destination, boolean marked, String text) {
    }

    private final Duration period;
    private final Clock clock;
    private final Map<String, Mark> marks = new HashMap<>();

    UnavailableDestinations(Duration period, Clock clock) {
        this.period = period;
        this.clock = clock;
    }

    /** A ticket for one attempt to {@code destination}; check it with {@link #suspended} before connecting. */
    Ticket ticket(String destination) {
        return new Ticket(destination);
    }

    /**
     * Whether the attempt holding the ticket must defer now rather than connect: null when it may
     * go ahead (the destination is not marked, or this attempt is, or now becomes, the probe).
     */
    synchronized Suspension suspended(Ticket ticket) {
        Mark mark = marks.get(ticket.destination);
        if (mark == null || ticket.probe) {
            return null;
        }
        if (!mark.probing && !clock.instant().isBefore(mark.until)) {
            mark.probing = true;
            ticket.probe = true;
            return null;
        }
        return new Suspension(mark.enhancedCode, mark.reason);
    }

    /** Records how the attempt ended; returns the change to log, or null when nothing changed. */
    synchronized Change finished(Ticket ticket, Result result, String enhancedCode, String reason) {
        Mark mark = marks.get(ticket.destination);
        Instant now = clock.instant();
        switch (result) {
            case REACHED -> {
                if (mark != null) {
                    marks.remove(ticket.destination);
                    long seconds = Duration.between(mark.since, now).toSeconds();
                    return new Change(ticket.destination, false, "destination " + ticket.destination
                            + " is available again (unavailable for " + seconds + "s)");
                }
            }
            case UNREACHABLE -> {
                if (!period.isZero() && (mark == null || ticket.probe)) {
                    // An attempt that began before the mark does not extend it: only the probe does.
                    marks.put(ticket.destination, new Mark(reason, enhancedCode, mark == null ? now : mark.since,
                            now.plus(period)));
                    return new Change(ticket.destination, true, "destination " + ticket.destination + " is unavailable for "
                            + period.toSeconds() + "s: " + reason);
                }
            }
            case UNDECIDED -> {
                if (mark != null && ticket.probe) {
                    mark.probing = false; // the next attempt probes in its place
                }
            }
        }
        return null;
    }

    /** Clears every mark (a flush by the administrator); attempts in flight record their outcome as usual. */
    synchronized void clear() {
        marks.clear();
    }
}
