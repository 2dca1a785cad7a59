package org.sealpost.transport.queue;

import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Queue ids: 16 upper-case hex digits, the time of arrival in microseconds, made unique by taking
 * the next free microsecond when two messages arrive in the same one. Ids sort by arrival and do
 * not repeat across restarts as long as the clock does not go back by more than the downtime.
 */
final class QueueId {

    private static final AtomicLong LAST = new AtomicLong();

    private QueueId() {
    }

    static String next() {
        long now = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        long id = LAST.updateAndGet(last -> Math.max(last + 1, now));
        return HexFormat.of().withUpperCase().toHexDigits(id);
    }

    static boolean isValid(String name) {
        return name.length() == 16 && name.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'));
    }
}
