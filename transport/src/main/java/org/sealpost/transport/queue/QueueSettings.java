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
 */
public record QueueSettings(Path directory, String hostname, Duration minBackoff,
        Duration maxBackoff, Duration lifetime, Duration bounceLifetime, int deliveryConcurrency) {
}
