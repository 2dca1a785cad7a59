package org.sealpost.transport.queue;

/**
 * The result of one delivery attempt for one recipient.
 *
 * @param status delivered, deferred or bounced
 * @param enhancedCode the RFC 3463 status, e.g. "2.0.0", "4.4.1", "5.1.1"
 * @param diagnostic what happened, e.g. the remote reply "550 5.1.1 no such user" or a local
 *     reason such as "connect to mx.example[192.0.2.1]:25: Connection refused"
 * @param remoteMta the host that answered ("" when none did), for the DSN's Remote-MTA field
 * @param remoteReply whether {@code diagnostic} is an SMTP reply of the remote host (DSN
 *     Diagnostic-Code type smtp) rather than a local explanation
 */
public record RecipientResult(Recipient recipient, DeliveryStatus status, String enhancedCode,
        String diagnostic, String remoteMta, boolean remoteReply) {
}
