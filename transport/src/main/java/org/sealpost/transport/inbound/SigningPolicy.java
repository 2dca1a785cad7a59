package org.sealpost.transport.inbound;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.MxRecord;
import org.sealpost.dnssec.Outcome;
import org.sealpost.keyexchange.pins.KeySet;
import org.sealpost.keyexchange.pins.Pin;
import org.sealpost.keyexchange.pins.PinStore;
import org.sealpost.signing.dkim.DkimResult;
import org.sealpost.transport.smtp.client.Route;

/**
 * The signing policy a From domain's MX advertises (docs/xkeys.md "Signing policy from the key set"):
 * the key set an MX host publishes with XKEYS names the DKIM domains and selectors it signs with, so a
 * receiver that already holds that host's pin knows that mail from the domain is signed. Only pins
 * already held count; nothing is fetched for an arriving message.
 */
public final class SigningPolicy {

    private final PinStore pins;
    private final DnsResolver dns;
    private final Map<String, Route> routes;
    private final Clock clock;

    /**
     * @param pins the pins this relay made as a client delivering to other MX hosts
     * @param dns the relay's resolver (behind its answer cache), for the MX lookups
     * @param routes the static next hops by domain: a pin is keyed by the host and port mail goes to
     */
    public SigningPolicy(PinStore pins, DnsResolver dns, Map<String, Route> routes, Clock clock) {
        this.pins = pins;
        this.dns = dns;
        this.routes = Map.copyOf(routes);
        this.clock = clock;
    }

    /**
     * For each domain whose MX's held key set names DKIM selectors for it (or, when some held key set names the
     * domain, whose MX lookup failed), the result.
     */
    CompletableFuture<List<SigningResult>> check(List<String> domains, List<DkimResult> signatures) {
        List<CompletableFuture<Optional<SigningResult>>> each = new ArrayList<>();
        for (String domain : new LinkedHashSet<>(domains)) {
            each.add(check(domain.toLowerCase(Locale.ROOT), signatures));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(done -> each.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
    }

    private CompletableFuture<Optional<SigningResult>> check(String domain, List<DkimResult> signatures) {
        // Any selector will do: a pass by d=domain proves the domain's key; the key set names what that one host
        // signs with, and the domain's other senders (another MX, a mailing service) sign with selectors of their own.
        boolean signed = signatures.stream().anyMatch(s -> s.passed() && s.domain().equalsIgnoreCase(domain));
        if (!pins.namesDkimDomain(domain)) {
            // No held key set names the domain: nothing to look up, and a failing MX lookup says nothing either.
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return hosts(domain).thenApply(hosts -> {
            if (hosts.failure() != null) {
                return Optional.of(new SigningResult(domain, SigningResult.Result.TEMPERROR, "", List.of(), signed,
                        hosts.failure()));
            }
            String mx = "";
            Set<String> selectors = new LinkedHashSet<>();
            Instant now = clock.instant();
            for (String hostPort : hosts.keys()) {
                Optional<Pin> pin = pins.get(hostPort);
                if (pin.isEmpty() || now.isBefore(pin.get().set().notBefore()) || now.isAfter(pin.get().set().notAfter())) {
                    continue; // an expired pin says nothing about what the host signs now
                }
                for (KeySet.Dkim dkim : pin.get().set().dkim()) {
                    if (dkim.domain().equalsIgnoreCase(domain)) {
                        selectors.add(dkim.selector());
                        mx = mx.isEmpty() ? hostPort : mx;
                    }
                }
            }
            if (selectors.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new SigningResult(domain, signed ? SigningResult.Result.PASS : SigningResult.Result.FAIL,
                    mx, List.copyOf(selectors), signed, ""));
        });
    }

    /** The pins' keys ("host:port") of where this relay delivers mail for a domain, or why they are unknown. */
    private record Hosts(List<String> keys, String failure) {
    }

    /**
     * As the deliverer finds them: a route for the domain names the host (bracketed: no MX lookup) and port;
     * otherwise the MX hosts at port 25, the domain itself when it has no MX (RFC 5321 5.1, the implicit MX).
     * The relayhost is no MX of the domain and is not consulted.
     */
    private CompletableFuture<Hosts> hosts(String domain) {
        Route route = routes.get(domain);
        if (route != null && !route.mxLookup()) {
            return CompletableFuture.completedFuture(new Hosts(List.of(key(route.host(), route.port())), null));
        }
        String name = route != null ? route.host() : domain;
        int port = route != null ? route.port() : 25;
        return dns.mx(name).handle((answer, error) -> {
            if (error != null) {
                return new Hosts(List.of(), "the lookup did not complete: " + error.getMessage());
            }
            return fromMx(name, port, answer);
        });
    }

    private static Hosts fromMx(String name, int port, DnsAnswer<MxRecord> answer) {
        if (answer.outcome().isTemporary()) {
            return new Hosts(List.of(), "type=MX: " + answer.outcome() + (answer.reason().isEmpty() ? ""
                    : " (" + answer.reason() + ")"));
        }
        if (answer.outcome() == Outcome.NXDOMAIN) {
            return new Hosts(List.of(), null);
        }
        if (answer.outcome() == Outcome.NODATA) {
            return new Hosts(List.of(key(name, port)), null);
        }
        // RFC 7505: a null MX names no host, so no pin.
        return new Hosts(answer.records().stream().filter(mx -> !mx.isNullMx())
                .sorted(java.util.Comparator.comparingInt(MxRecord::preference))
                .map(mx -> key(mx.host(), port)).distinct().toList(), null);
    }

    /** The pin store's key, as the delivery's pin check writes it. */
    private static String key(String host, int port) {
        String name = host.toLowerCase(Locale.ROOT);
        return (name.endsWith(".") ? name.substring(0, name.length() - 1) : name) + ":" + port;
    }
}
