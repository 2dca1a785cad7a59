package org.sealpost.transport.smtp.client;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.MxRecord;
import org.sealpost.keyexchange.mtasts.MtaSts;
import org.sealpost.keyexchange.mtasts.StsPolicy;
import org.sealpost.keyexchange.mtasts.StsResult;
import org.sealpost.keyexchange.pins.KeySet;
import org.sealpost.keyexchange.pins.Pin;
import org.sealpost.keyexchange.pins.PinStore;
import org.sealpost.keyexchange.pins.XkeysWire;
import org.sealpost.keyexchange.policy.Decision;
import org.sealpost.keyexchange.policy.Hop;
import org.sealpost.keyexchange.policy.HostPolicy;
import org.sealpost.keyexchange.policy.Policies;

/**
 * `sealpost check DOMAIN`: what a delivery to the domain would meet, step by step, in the manner
 * of posttls-finger: the MX hosts and their DNSSEC status, each host's TLSA records and which are
 * usable, the connection, STARTTLS, the chain presented, and how it was verified. It decides with
 * the relay's own list of TLS policies, so it never calls deliverable a host a delivery would refuse.
 */
public final class PeerCheck {

    /** The report: lines for people, the summary line, and whether a delivery would go ahead. */
    public record Report(List<String> lines, String summary, boolean deliver) {
    }

    private final DnsResolver dns;
    private final Connector connector;
    private final NextHops nextHops;
    private final PinStore pins;
    private final Map<String, Route> routes;
    private final Policies policies;
    private final MtaSts mtaSts;

    /**
     * @param pins the relay's pins, to compare with what the host presents (read only), or null
     * @param routes the relay's routes and relayhost ("*"), as in its ClientSettings: the check then
     *     goes where a delivery would, e.g. to the IP literal of {@code route.example.net = [127.0.0.1]:10026}
     * @param policies the relay's list of TLS policies (OutboundPolicies): the check decides as a delivery would
     */
    public PeerCheck(DnsResolver dns, EventLoopGroup group, Class<? extends Channel> channelType, String hostname,
            PinStore pins, Map<String, Route> routes, Policies policies) {
        this(dns, group, channelType, hostname, pins, routes, policies, null);
    }

    /** @param mtaSts the MTA-STS client the policies use, to show the domain's policy; null when mta_sts = no */
    public PeerCheck(DnsResolver dns, EventLoopGroup group, Class<? extends Channel> channelType, String hostname,
            PinStore pins, Map<String, Route> routes, Policies policies, MtaSts mtaSts) {
        this.mtaSts = mtaSts;
        this.dns = dns;
        this.pins = pins;
        this.routes = Map.copyOf(routes);
        this.policies = policies;
        Duration timeout = Duration.ofSeconds(30);
        ClientSettings settings = new ClientSettings(hostname, Map.of(), timeout, timeout, timeout, timeout, timeout, 1, 1,
                Duration.ofSeconds(1));
        this.connector = new Connector(settings, group, channelType);
        this.nextHops = new NextHops(this.routes, dns, new Random());
    }

    /** @param port the port to connect to, unless a route of the relay names one */
    public Report check(String domain, int port) {
        List<String> lines = new ArrayList<>();
        Route route = routes.getOrDefault(domain, routes.get("*"));
        if (route != null) {
            lines.add("route " + domain + ": " + route + (route.mxLookup() ? "" : " (no MX lookup)"));
        }
        if (route == null || route.mxLookup()) {
            String name = route == null ? domain : route.host();
            DnsAnswer<MxRecord> mx = dns.mx(name).join();
            lines.add("MX " + name + ": " + (mx.found() ? mx.records() : mx.outcome()) + " (" + mx.security() + ")"
                    + (mx.reason().isEmpty() ? "" : ": " + mx.reason()));
        }
        if (mtaSts != null) {
            lines.add(stsLine(mtaSts.policyFor(domain).join()));
        }
        NextHops.Resolution resolution = nextHops.resolve(domain).join();
        String lastLevel = "none";
        if (resolution.failure() != null) {
            lines.add("no host to deliver to: " + resolution.enhancedCode() + " " + resolution.reason());
            return report(lines, lastLevel, null, "none", resolution.failure().name().equals("BOUNCED") ? "bounce" : "defer");
        }
        for (Target host : resolution.targets()) {
            Target target = route != null ? host : new Target(host.host(), host.address(), port);
            if (NextHops.literal(host.host()) != null) {
                // As a delivery: an address is never looked up in DNS, and has no TLSA records.
                lines.add("host " + target + ": IP literal, not looked up in DNS");
            } else {
                DnsAnswer<InetAddress> addresses = dns.addresses(host.host()).join();
                lines.add("host " + target + ": addresses " + addresses.records() + " (" + addresses.security() + ")");
                DnsAnswer<org.sealpost.dnssec.TlsaRecord> tlsa = dns.tlsa("_" + target.port() + "._tcp." + host.host()).join();
                for (org.sealpost.dnssec.TlsaRecord record : tlsa.records()) {
                    lines.add("  TLSA " + record + " (" + tlsa.security() + ")");
                }
            }
            HostPolicy policy;
            try {
                policy = policies.beforeConnect(new Hop(domain, host.host(), target.port(), resolution.mxSecure())).join();
            } catch (RuntimeException e) {
                lines.add("  not used: " + HopFailure.of(e, "4.7.5").getMessage());
                continue;
            }
            Decision decision = policy.decision();
            lastLevel = decision.level().configName();
            lines.add("  policy: " + decision + (decision.reason().isEmpty() ? "" : ": " + decision.reason()));
            try {
                // The same connection and checks as a delivery's: a host a delivery would refuse is refused here.
                SmtpConnection connection = connector.open(target, policy, domain).join();
                List<Certificate> chain = connection.peerChain();
                for (int depth = 0; depth < chain.size(); depth++) {
                    if (chain.get(depth) instanceof X509Certificate certificate) {
                        lines.add("  certificate " + depth + ": " + certificate.getSubjectX500Principal().getName()
                                + " (issuer " + certificate.getIssuerX500Principal().getName() + ")");
                    }
                }
                String tls = connection.tlsDescription();
                String verified = tls.equals("none") ? "none" : tls.substring(tls.lastIndexOf('(') + 1, tls.length() - 1);
                lines.add("  connected: tls=" + tls);
                lines.add("  " + xkeys(connection, target));
                connection.quit();
                return report(lines, lastLevel, connection.tls() != null, verified, "deliver");
            } catch (RuntimeException e) {
                HopFailure failure = HopFailure.of(e, "4.4.1");
                lines.add("  failed: " + failure.enhancedCode() + " " + failure.getMessage()
                        + (failure.refusal() == null ? "" : " (policy " + failure.refusal().policy() + ", result-type "
                        + failure.refusal().resultType().wireName() + ")"));
            }
        }
        return report(lines, lastLevel, null, "none", "defer");
    }

    /** The domain's MTA-STS policy as the policies see it (RFC 8461 3.2), or why there is none. */
    private static String stsLine(StsResult result) {
        if (result instanceof StsResult.Found found) {
            StsPolicy policy = found.policy();
            return "policy: mta-sts (" + policy.mode().text() + ") id=" + policy.id() + " max_age=" + policy.maxAgeSeconds()
                    + " mx=" + String.join(",", policy.mx());
        }
        StsResult.Absent absent = (StsResult.Absent) result;
        return "policy: mta-sts none (" + absent.reason()
                + absent.failure().map(failure -> ", result-type " + failure.resultType()).orElse("") + ")";
    }

    /** What the host advertises with XKEYS inside TLS, and how it compares with a pin of ours. */
    private String xkeys(SmtpConnection connection, Target target) {
        String hash = connection.tls() == null ? null
                : XkeysWire.advertisedHash(connection.ehloReply().keywordValue(XkeysWire.KEYWORD));
        String line = hash == null ? "xkeys: not advertised" : "xkeys: key set " + hash + " advertised";
        Optional<Pin> pin = pins == null ? Optional.empty() : pins.get(target.host().toLowerCase(Locale.ROOT) + ":" + target.port());
        if (pin.isEmpty()) {
            return line + (pins == null ? "" : "; not pinned (a delivery would pin it at first contact)");
        }
        String leaf = connection.peerChain().isEmpty() ? "" : KeySet.spkiSha256(connection.peerChain().get(0).getPublicKey());
        KeySet pinned = pin.get().set();
        return line + "; pinned serial " + pinned.serial() + (pinned.hash().equals(hash) ? ", same hash" : ", hash changed")
                + ", presented key " + (pinned.tlsKeys().contains(leaf) ? "pinned" : pinned.nextKeys().contains(leaf)
                ? "announced as next" : "NEITHER pinned nor announced");
    }

    private static Report report(List<String> lines, String level, Boolean tls, String verified, String verdict) {
        String summary = "policy=" + level + " tls=" + (Boolean.TRUE.equals(tls) ? "yes" : "no") + " verified=" + verified
                + " verdict=" + verdict;
        return new Report(lines, summary, verdict.equals("deliver"));
    }
}
