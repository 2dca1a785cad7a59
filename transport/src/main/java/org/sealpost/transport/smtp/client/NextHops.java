package org.sealpost.transport.smtp.client;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.MxRecord;
import org.sealpost.dnssec.Outcome;
import org.sealpost.dnssec.Security;
import org.sealpost.transport.queue.DeliveryStatus;

/**
 * Where mail for a domain goes: a static route, the relayhost, or the domain's MX hosts by
 * preference (random among equals, RFC 5321 5.1), each host's addresses in turn.
 */
final class NextHops {

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /**
     * The hosts to try in order, or why there are none. {@code mxSecure}: the MX records (or the
     * implicit MX's denial) were DNSSEC-SECURE, or the next hop was named without an MX lookup;
     * DANE applies only then (RFC 7672 2.2.1).
     */
    record Resolution(List<Target> targets, boolean mxSecure, DeliveryStatus failure, String enhancedCode,
            String reason) {

        static Resolution of(List<Target> targets, boolean mxSecure) {
            return new Resolution(targets, mxSecure, null, "", "");
        }

        static Resolution failed(DeliveryStatus status, String code, String reason) {
            return new Resolution(List.of(), false, status, code, reason);
        }
    }

    /** At most this many addresses are tried in one attempt. */
    static final int MAX_TARGETS = 5;

    private final Map<String, Route> routes;
    private final DnsResolver dns;
    private final Random random;

    NextHops(Map<String, Route> routes, DnsResolver dns, Random random) {
        this.routes = routes;
        this.dns = dns;
        this.random = random;
    }

    /**
     * The next hop mail for {@code domain} goes to, as a name: its route or the relayhost
     * ("[127.0.0.1]:10026"), or the domain itself, which stands for its MX hosts.
     */
    String destination(String domain) {
        Route route = routes.getOrDefault(domain, routes.get("*"));
        return route != null ? route.toString() : domain;
    }

    /**
     * Whether mail for {@code domain} goes to a next hop of its own (route.DOMAIN), the one that
     * takes over mail for a local domain: the only hop the original client is named to.
     */
    boolean routed(String domain) {
        return routes.containsKey(domain);
    }

    /**
     * Whether mail for {@code domain} is handed off to a server on this machine: its own route
     * (route.DOMAIN) to a loopback address literal, as the hand-off to the local smtpd is
     * configured ("[127.0.0.1]:10026"; docs/postfix.md). No network is crossed on that hop.
     */
    boolean localHandoff(String domain) {
        Route route = routes.get(domain);
        InetAddress address = route == null || route.mxLookup() ? null : literal(route.host());
        return address != null && address.isLoopbackAddress();
    }

    CompletableFuture<Resolution> resolve(String domain) {
        Route route = routes.getOrDefault(domain, routes.get("*"));
        if (route != null && !route.mxLookup()) {
            return addresses(List.of(route.host()), route.port(), true);
        }
        String name = route != null ? route.host() : domain;
        int port = route != null ? route.port() : 25;
        return dns.mx(name).thenCompose(answer -> fromMx(name, port, answer));
    }

    private CompletableFuture<Resolution> fromMx(String name, int port, DnsAnswer<MxRecord> answer) {
        if (answer.outcome() == Outcome.NXDOMAIN) {
            return done(Resolution.failed(DeliveryStatus.BOUNCED, "5.1.2", "Host or domain name not found. Name service "
                    + "error for name=" + name + " type=MX: Host not found"));
        }
        if (answer.outcome().isTemporary()) {
            return done(Resolution.failed(DeliveryStatus.DEFERRED, "4.4.3", "Host or domain name not found. Name service "
                    + "error for name=" + name + " type=MX: " + answer.reason()));
        }
        boolean secure = answer.security() == Security.SECURE;
        if (answer.outcome() == Outcome.NODATA) {
            return addresses(List.of(name), port, secure); // RFC 5321 5.1: no MX, the domain itself is the host
        }
        if (answer.records().stream().anyMatch(MxRecord::isNullMx)) {
            // RFC 7505 3: a null MX says the domain accepts no mail at all.
            return done(Resolution.failed(DeliveryStatus.BOUNCED, "5.1.10", "Recipient address rejected: Domain "
                    + name + " does not accept mail (nullMX)"));
        }
        return addresses(order(answer.records()), port, secure);
    }

    /** By preference; equal preferences in random order so that load spreads (RFC 5321 5.1). */
    List<String> order(List<MxRecord> records) {
        List<MxRecord> shuffled = new ArrayList<>(records);
        Collections.shuffle(shuffled, random);
        shuffled.sort(Comparator.comparingInt(MxRecord::preference));
        return shuffled.stream().map(MxRecord::host).distinct().toList();
    }

    private CompletableFuture<Resolution> addresses(List<String> hosts, int port, boolean mxSecure) {
        List<CompletableFuture<DnsAnswer<InetAddress>>> lookups = new ArrayList<>();
        for (String host : hosts) {
            lookups.add(literal(host) != null
                    ? CompletableFuture.completedFuture(DnsAnswer.found(List.of(literal(host)), 0, Security.INSECURE))
                    : dns.addresses(host));
        }
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<Target> targets = new ArrayList<>();
            String lastReason = "";
            boolean temporary = false;
            for (int i = 0; i < hosts.size(); i++) {
                DnsAnswer<InetAddress> answer = lookups.get(i).join();
                if (!answer.found()) {
                    temporary |= answer.outcome().isTemporary();
                    lastReason = "Host or domain name not found. Name service error for name=" + hosts.get(i)
                            + " type=A: " + (answer.reason().isEmpty() ? answer.outcome() : answer.reason());
                    continue;
                }
                for (InetAddress address : answer.records()) {
                    if (targets.size() < MAX_TARGETS) {
                        targets.add(new Target(hosts.get(i), address, port));
                    }
                }
            }
            if (!targets.isEmpty()) {
                return Resolution.of(targets, mxSecure);
            }
            return temporary || hosts.size() > 1
                    ? Resolution.failed(DeliveryStatus.DEFERRED, "4.4.3", lastReason)
                    : Resolution.failed(DeliveryStatus.BOUNCED, "5.4.4", lastReason);
        });
    }

    /** The address of an IP literal host ("192.0.2.1", "::1"), or null for a name. */
    static InetAddress literal(String host) {
        if (!IP_LITERAL.matcher(host).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static CompletableFuture<Resolution> done(Resolution resolution) {
        return CompletableFuture.completedFuture(resolution);
    }
}
