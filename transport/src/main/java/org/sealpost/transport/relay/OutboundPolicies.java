package org.sealpost.transport.relay;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sealpost.cache.DurableStore;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.keyexchange.dane.DaneLookup;
import org.sealpost.keyexchange.dane.DanePolicy;
import org.sealpost.keyexchange.mtasts.MtaSts;
import org.sealpost.keyexchange.mtasts.MtaStsPolicy;
import org.sealpost.keyexchange.mtasts.StsSettings;
import org.sealpost.keyexchange.pins.PinPolicy;
import org.sealpost.keyexchange.pkix.PkixPolicy;
import org.sealpost.keyexchange.policy.DefaultLevel;
import org.sealpost.keyexchange.policy.DeliveryPolicy;
import org.sealpost.keyexchange.policy.Policies;
import org.sealpost.keyexchange.policy.StaticPolicy;
import org.sealpost.keyexchange.policy.TlsLevel;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.config.ConfigException;
import org.sealpost.transport.smtp.client.Route;

/**
 * The one factory of the outbound TLS policy list, shared by the relay's deliveries and by
 * `sealpost check`, so that a check decides exactly as a delivery would: the static tls_policy
 * entries, the default level, DANE, MTA-STS (mta_sts = yes), the XKEYS pins and the certificate
 * authorities of verify and secure, in the order of {@link Policies#ORDER}.
 */
public final class OutboundPolicies {

    private OutboundPolicies() {
    }

    /** The relay's list without MTA-STS. */
    public static Policies from(Config config, DnsResolver dns, PinPolicy pins, Clock clock) throws ConfigException {
        return from(config, dns, pins, null, clock);
    }

    /**
     * The relay's list.
     *
     * @param pins the XKEYS pin policy (a read-only one for `sealpost check`), or null for none
     * @param mtaSts the MTA-STS client ({@link #mtaSts}), or null when mta_sts = no
     */
    public static Policies from(Config config, DnsResolver dns, PinPolicy pins, MtaSts mtaSts, Clock clock)
            throws ConfigException {
        return from(config, authorities(config), dns, pins, mtaSts, clock);
    }

    /** The same with the authorities of verify and secure read already ({@link #authorities(Config)}), as the relay reads them once. */
    static Policies from(Config config, Set<TrustAnchor> authorities, DnsResolver dns, PinPolicy pins, MtaSts mtaSts,
            Clock clock) {
        return of(config.tlsPolicies(), config.client().routes(), new DefaultLevel(config.tlsDefaultLevel()), dns,
                authorities, pins, mtaSts, clock);
    }

    /**
     * The MTA-STS client of a configuration, or null when mta_sts = no: policies fetched from
     * mta-sts.DOMAIN on {@code port} (mta_sts_port, or `sealpost check --mta-sts-port`), the host
     * resolved through {@code dns} (dns_resolvers) and its chain checked against tls_ca_file or the
     * JDK's cacerts; the caller closes it.
     *
     * @param authorities what the policy hosts' chains must validate to: {@link #authorities(Config, Path)}
     * @param store where fetched policies are kept: the relay's {@link Config#mtaStsDirectory()}, or
     *     a folder of the check's own, so that a check never writes the relay's store
     */
    public static MtaSts mtaSts(Config config, Set<TrustAnchor> authorities, int port, DnsResolver dns, Path store,
            Clock clock) throws IOException {
        if (config != null && !config.mtaSts().enabled()) {
            return null;
        }
        return new MtaSts(dns, new DurableStore(store), StsSettings.of(port, authorities), clock);
    }

    /**
     * The list of `sealpost check --level LEVEL`: the relay's, with LEVEL as its default level
     * (named "check" in the decisions, as the command line set it).
     *
     * @param config the relay's configuration, or null to check as a relay with no static policies would
     */
    public static Policies forCheck(Config config, TlsLevel level, DnsResolver dns, PinPolicy pins, Clock clock)
            throws ConfigException {
        return forCheck(config, level, authorities(config, null), dns, pins, null, clock);
    }

    /**
     * The same with the authorities of verify and secure given ({@link #authorities(Config, Path)})
     * and MTA-STS ({@link #mtaSts}, null for none).
     */
    public static Policies forCheck(Config config, TlsLevel level, Set<TrustAnchor> authorities, DnsResolver dns,
            PinPolicy pins, MtaSts mtaSts, Clock clock) {
        DefaultLevel defaultLevel = level != null ? new DefaultLevel(level, "check")
                : new DefaultLevel(config != null ? config.tlsDefaultLevel() : TlsLevel.DANE);
        return of(config != null ? config.tlsPolicies() : Map.of(), config != null ? config.client().routes() : Map.of(),
                defaultLevel, dns, authorities, pins, mtaSts, clock);
    }

    static Policies of(Map<String, TlsLevel> statics, Map<String, Route> routes, DefaultLevel defaultLevel, DnsResolver dns,
            Set<TrustAnchor> authorities, PinPolicy pins, MtaSts mtaSts, Clock clock) {
        PkixPolicy pkix = new PkixPolicy(authorities, clock);
        List<DeliveryPolicy> list = new ArrayList<>();
        list.add(new StaticPolicy(statics));
        list.add(defaultLevel);
        list.add(new DanePolicy(new DaneLookup(dns), clock));
        if (mtaSts != null) {
            list.add(new MtaStsPolicy(mtaSts, pkix, domain -> byMx(routes, domain)));
        }
        if (pins != null) {
            list.add(pins);
        }
        list.add(pkix);
        return new Policies(list);
    }

    /**
     * Whether mail for {@code domain} goes to the hosts its own MX records name: no route (nor
     * relayhost) for it, or one that only changes the port ({@code route.example.net = example.net:2525}).
     */
    static boolean byMx(Map<String, Route> routes, String domain) {
        String name = domain.toLowerCase(java.util.Locale.ROOT);
        Route route = routes.getOrDefault(name, routes.get("*"));
        return route == null || route.mxLookup() && route.host().equalsIgnoreCase(name);
    }

    /** The certificate authorities for the verify and secure levels: tls_ca_file, or the JDK's cacerts. */
    static Set<TrustAnchor> authorities(Config config) throws ConfigException {
        try {
            return PkixPolicy.anchors(config.tlsCaFile().orElse(null));
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("tls_ca_file " + config.tlsCaFile().map(Object::toString).orElse("(the JDK's cacerts)")
                    + ": cannot load the certificate authorities (" + e.getMessage() + "); expected PEM certificates");
        }
    }

    /**
     * The authorities `sealpost check` trusts, for the MX hosts and the MTA-STS policy hosts alike:
     * {@code caFile} (--tls-ca-file) when given, else tls_ca_file of the relay's configuration, else
     * the JDK's cacerts.
     */
    public static Set<TrustAnchor> authorities(Config config, Path caFile) throws ConfigException {
        if (caFile != null) {
            try {
                return PkixPolicy.anchors(caFile);
            } catch (IOException | GeneralSecurityException e) {
                throw new ConfigException("--tls-ca-file " + caFile + ": cannot load the certificate authorities ("
                        + e.getMessage() + "); expected PEM certificates");
            }
        }
        return config != null ? authorities(config) : jdkAuthorities();
    }

    private static Set<TrustAnchor> jdkAuthorities() throws ConfigException {
        try {
            return PkixPolicy.anchors(null);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("the JDK's cacerts: cannot load the certificate authorities (" + e.getMessage() + ")");
        }
    }
}
