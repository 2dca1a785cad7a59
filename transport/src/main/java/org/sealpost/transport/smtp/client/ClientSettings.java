package org.sealpost.transport.smtp.client;

import java.time.Duration;
import java.util.Map;

/**
 * How the SMTP client delivers.
 *
 * @param hostname the EHLO name
 * @param routes static next hops by recipient domain (lower case); the key "*" is the relayhost
 *     for every domain without a route of its own
 * @param connectTimeout TCP connect
 * @param greetingTimeout waiting for the 220 greeting (RFC 5321 4.5.3.2.1: 5 minutes)
 * @param commandTimeout waiting for the reply to EHLO, STARTTLS, MAIL, RCPT, RSET (5 minutes)
 * @param dataTimeout the DATA command and each block of content (4.5.3.2.5: 3 minutes)
 * @param finalTimeout the reply to the final dot or last BDAT (4.5.3.2.6: 10 minutes)
 * @param destinationConcurrency most simultaneous connections to one next-hop host
 * @param messagesPerConnection most messages sent over one connection before it is closed
 * @param connectionIdleTime how long an idle connection is kept for the next message
 * @param destinationUnavailableTime how long a next hop whose hosts all refused or timed out is
 *     suspended: its messages are deferred without connecting until one attempt probes again
 */
public record ClientSettings(String hostname, Map<String, Route> routes, Duration connectTimeout,
        Duration greetingTimeout, Duration commandTimeout, Duration dataTimeout,
        Duration finalTimeout, int destinationConcurrency, int messagesPerConnection,
        Duration connectionIdleTime, Duration destinationUnavailableTime) {

    /** The default of destination_unavailable_time. */
    public static final Duration DEFAULT_UNAVAILABLE_TIME = Duration.ofSeconds(60);

    public ClientSettings {
        routes = Map.copyOf(routes);
    }

    /** The same with the default destination_unavailable_time. */
    public ClientSettings(String hostname, Map<String, Route> routes, Duration connectTimeout,
            Duration greetingTimeout, Duration commandTimeout, Duration dataTimeout,
            Duration finalTimeout, int destinationConcurrency, int messagesPerConnection,
            Duration connectionIdleTime) {
        this(hostname, routes, connectTimeout, greetingTimeout, commandTimeout, dataTimeout, finalTimeout,
                destinationConcurrency, messagesPerConnection, connectionIdleTime, DEFAULT_UNAVAILABLE_TIME);
    }
}
