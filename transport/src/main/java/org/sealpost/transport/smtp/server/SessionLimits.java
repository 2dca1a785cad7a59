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
 * @param recipientOvershootLimit how many recipients of one transaction over {@code recipientLimit}
 *     get their 452 without counting as errors (as Postfix's smtpd_recipient_overshoot_limit): a
 *     pipelining client learns of the limit only from those replies, and its accepted recipients
 *     must still get their DATA
 */
public record SessionLimits(int commandLineLimit, int textLineLimit, long messageSizeLimit,
        int recipientLimit, Duration idleTimeout, Duration sessionTimeout, int connectionsPerClient,
        int recipientOvershootLimit) {

    /** The default overshoot limit, as Postfix's. */
    public static final int DEFAULT_RECIPIENT_OVERSHOOT_LIMIT = 1000;

    /** Limits with the default recipient overshoot limit. */
    public SessionLimits(int commandLineLimit, int textLineLimit, long messageSizeLimit, int recipientLimit,
            Duration idleTimeout, Duration sessionTimeout, int connectionsPerClient) {
        this(commandLineLimit, textLineLimit, messageSizeLimit, recipientLimit, idleTimeout, sessionTimeout,
                connectionsPerClient, DEFAULT_RECIPIENT_OVERSHOOT_LIMIT);
    }
}
