package org.sealpost.transport.smtp.server;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/**
 * The verified name of an mx listener's client, for the hand-off (XCLIENT NAME, docs/postfix.md)
 * and the Received field: a PTR name whose addresses include the client's, as Postfix's smtpd
 * finds its client name.
 */
public interface ReverseLookup {

    /** Lower case; "" when there is none; {@link #TEMPORARY} when DNS failed. Never completes exceptionally. */
    CompletableFuture<String> verifiedName(InetAddress address);

    /** XCLIENT_README: the name is unknown for now (a DNS failure), not absent. */
    String TEMPORARY = "[TEMPUNAVAIL]";
}
