package org.sealpost.transport.queue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the queue keeps and retries messages.
 *
 * @param directory the spool folder; one file per message
 * @param hostname the Reporting-MTA of delivery status notifications
 * @param minBackoff the first retry delay (doubles with each attempt, with jitter)
 * @param maxBackoff the longest retry delay
 * @param lifetime how long a message may stay before it bounces
 * @param bounceLifetime the same for the notifications Sealpost itself sends
 * @param deliveryConcurrency most delivery attempts in progress at once
 * @param bounceSizeLimit the largest original a delivery status notification returns whole; a
 *     larger one is returned as its header section, whatever RET asked for
 */
public record QueueSettings(Path directory, String hostname, Duration minBackoff,
        Duration maxBackoff, Duration lifetime, Duration bounceLifetime, int deliveryConcurrency,
        long bounceSizeLimit) {

    /** 1 MiB: enough for the attachments a sender wants to see again, not a copy of every large message. */
    public static final long DEFAULT_BOUNCE_SIZE_LIMIT = 1 << 20;

    public QueueSettings(Path directory, String hostname, Duration minBackoff, Duration maxBackoff, Duration lifetime,
            Duration bounceLifetime, int deliveryConcurrency) {
        this(directory, hostname, minBackoff, maxBackoff, lifetime, bounceLifetime, deliveryConcurrency,
                DEFAULT_BOUNCE_SIZE_LIMIT);
    }
}
