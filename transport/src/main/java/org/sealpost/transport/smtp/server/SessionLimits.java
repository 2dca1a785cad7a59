package org.sealpost.transport.smtp.server;

import java.time.Duration;

/**
 * Limits of one SMTP session.
 *
 * @param commandLineLimit longest command line in octets, CRLF included (RFC 5321 4.5.3.1.4: 512,
 *     extended by the parameters of SMTP extensions)
 * @param textLineLimit longest line of message content, CRLF included (RFC 5321 4.5.3.1.6: 1000)
 * @param messageSizeLimit largest message in octets, announced in the SIZE keyword (RFC 1870)
 * @param recipientLimit most recipients per message (RFC 5321 4.5.3.1.8: at least 100)
 * @param idleTimeout longest wait for the next command or content (RFC 5321 4.5.3.2.7: 5 minutes)
 * @param sessionTimeout longest whole session
 * @param connectionsPerClient most simultaneous connections from one client address
 */
public record SessionLimits(int commandLineLimit, int textLineLimit, long messageSizeLimit,
        int recipientLimit, Duration idleTimeout, Duration sessionTimeout, int connectionsPerClient) {
}
