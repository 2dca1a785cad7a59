package org.sealpost.transport.smtp.server;

import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.sealpost.transport.sasl.SenderLogins;
import org.sealpost.keyexchange.pins.KeySet;
import org.sealpost.transport.config.NetworkRange;

/**
 * One listener as configured.
 *
 * @param name the configuration name of the listener, for logs and the Received header
 * @param role submission or mx
 * @param address where to listen
 * @param hostname the name in the greeting, the EHLO reply and the Received header
 * @param trustedNetworks clients that may relay through a submission listener without login
 * @param localDomains domains an mx listener accepts mail for (lower case), in configured order
 * @param tls the server context for STARTTLS, or null when STARTTLS is not offered
 * @param authenticator checks SASL logins (offered only inside TLS), or null for no AUTH
 * @param limits the session limits
 * @param xkeys the signed key set advertised inside TLS now (docs/xkeys.md; renewed while the
 *     relay runs), or null
 * @param filter what looks at each message before the 250 (DKIM signing on submission, the inbound
 *     checks of transport.inbound on mx), or null
 * @param senderLogins which login may use which sender address (submission with SASL), or null
 * @param recipientCheck what an mx listener asks at RCPT about a recipient of a local domain
 *     (recipient_verification: a probe of the next hop or recipient_file), or null to take them all
 * @param reverseLookup finds an mx listener's client's verified name, or null for none
 */
public record ListenerSettings(String name, ListenerRole role, InetSocketAddress address,
        String hostname, List<NetworkRange> trustedNetworks, Set<String> localDomains,
        SslContext tls, Authenticator authenticator, SessionLimits limits, Supplier<KeySet> xkeys,
        MessageFilter filter, SenderLogins senderLogins, RecipientCheck recipientCheck,
        ReverseLookup reverseLookup) {

    public ListenerSettings {
        trustedNetworks = List.copyOf(trustedNetworks);
        // In configured order: the bare <Postmaster> goes to the first (RFC 5321 4.5.1).
        localDomains = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(localDomains));
    }

    /** A listener without recipient check. */
    public ListenerSettings(String name, ListenerRole role, InetSocketAddress address, String hostname,
            List<NetworkRange> trustedNetworks, Set<String> localDomains, SslContext tls, Authenticator authenticator,
            SessionLimits limits, Supplier<KeySet> xkeys, MessageFilter filter, SenderLogins senderLogins) {
        this(name, role, address, hostname, trustedNetworks, localDomains, tls, authenticator, limits, xkeys, filter,
                senderLogins, null, null);
    }

    /** A listener without message filter or sender login map. */
    public ListenerSettings(String name, ListenerRole role, InetSocketAddress address, String hostname,
            List<NetworkRange> trustedNetworks, Set<String> localDomains, SslContext tls, Authenticator authenticator,
            SessionLimits limits, Supplier<KeySet> xkeys) {
        this(name, role, address, hostname, trustedNetworks, localDomains, tls, authenticator, limits, xkeys, null, null, null,
                null);
    }

    /** A listener without XKEYS. */
    public ListenerSettings(String name, ListenerRole role, InetSocketAddress address, String hostname,
            List<NetworkRange> trustedNetworks, Set<String> localDomains, SslContext tls, Authenticator authenticator,
            SessionLimits limits) {
        this(name, role, address, hostname, trustedNetworks, localDomains, tls, authenticator, limits, null);
    }
}
