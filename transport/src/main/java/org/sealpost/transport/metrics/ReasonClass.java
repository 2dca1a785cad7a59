package org.sealpost.transport.metrics;

import java.util.Locale;
import org.sealpost.transport.queue.DeliveryStatus;
import org.sealpost.transport.queue.RecipientResult;

/**
 * Why a recipient was deferred or bounced, as a small fixed set, so that the label's values stay few:
 * never an address, a domain or a reply text.
 */
enum ReasonClass {
    /** Delivered: no reason. */
    NONE,
    /** The next hop's name did not resolve, or its DNS lookup failed (x.4.3, 5.1.2, 5.1.10, 5.4.4). */
    DNS,
    /** No host of the next hop took the connection (4.4.1), or a connection was lost (4.4.2). */
    CONNECT,
    /** A connection or a command timed out. */
    TIMEOUT,
    /** TLS was required and not offered, failed, or the peer was not verified (x.7.x, not from the peer). */
    TLS,
    /** The peer refused with a 4xx reply. */
    REFUSED_4XX,
    /** The peer refused with a 5xx reply. */
    REFUSED_5XX,
    /** The message does not suit the peer: too large, 8-bit or SMTPUTF8 unsupported (5.3.4, 5.6.x). */
    CONTENT,
    /** The destination was marked unavailable after earlier failures: no connection was made. */
    SUSPENDED,
    /** queue_lifetime ran out. */
    EXPIRED,
    /** Anything else: a local error (4.3.0), a mail loop (4.4.6). */
    OTHER;

    static ReasonClass of(RecipientResult result) {
        if (result.status() == DeliveryStatus.DELIVERED) {
            return NONE;
        }
        String code = result.enhancedCode();
        if (result.remoteReply()) {
            return code.startsWith("5") ? REFUSED_5XX : REFUSED_4XX;
        }
        String why = result.diagnostic().toLowerCase(Locale.ROOT);
        if (why.startsWith("delivery temporarily suspended")) {
            return SUSPENDED;
        }
        if (why.contains("timed out") || why.contains("timeout")) {
            return TIMEOUT;
        }
        if (code.equals("4.4.3") || code.equals("5.1.2") || code.equals("5.1.10") || code.equals("5.4.4")) {
            return DNS;
        }
        if (code.equals("4.4.1") || code.equals("4.4.2")) {
            return CONNECT;
        }
        if (code.length() > 2 && code.charAt(2) == '7') {
            return TLS;
        }
        if (code.equals("5.3.4") || code.startsWith("5.6.")) {
            return CONTENT;
        }
        return OTHER;
    }

    /** The label value: refused-4xx, dns, ... */
    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
