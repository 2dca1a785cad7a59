package org.sealpost.transport.smtp.server;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Whether an mx listener takes a recipient of a local domain, decided at RCPT so that an unknown
 * one is refused before the 250 instead of bounced after it (backscatter): a probe of the next hop,
 * as Postfix's reject_unverified_recipient, or a list, as its relay_recipient_maps.
 */
public interface RecipientCheck {

    /**
     * Empty to accept; else the whole reply that refuses (5xx) or defers (4xx) the recipient,
     * e.g. "550 5.1.1 &lt;bob@example.org&gt;: Recipient address rejected: ...". Never completes
     * exceptionally; may complete on any thread.
     *
     * @param address the recipient as given, without angle brackets
     * @param domain its domain, lower case
     */
    CompletableFuture<Optional<String>> check(String address, String domain);
}
