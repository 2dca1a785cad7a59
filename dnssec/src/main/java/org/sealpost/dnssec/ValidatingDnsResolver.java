package org.sealpost.dnssec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Validates DNSSEC itself (dnsjava's ValidatingResolver, RFC 4033-4035) from the configured trust
 * anchors, asking the given servers for the records and signatures. An answer is SECURE when its
 * whole chain validated, BOGUS when validation failed (with dnsjava's reason), INSECURE when the
 * name is provably unsigned or outside every anchor.
 */
public final class ValidatingDnsResolver implements DnsResolver {

    private final Records records;

    public ValidatingDnsResolver(List<InetSocketAddress> servers, Duration timeout, TrustAnchors anchors) throws IOException {
        this(servers, timeout, anchors, Clock.systemUTC());
    }

    /** With a clock, for tests that move validation to another time. */
    ValidatingDnsResolver(List<InetSocketAddress> servers, Duration timeout, TrustAnchors anchors, Clock clock)
            throws IOException {
        List<InetSocketAddress> targets = servers.isEmpty() ? ResolverConfig.getCurrentConfig().servers() : servers;
        ValidatingResolver validating = new ValidatingResolver(PlainDnsResolver.resolver(targets, timeout, true), clock);
        validating.loadTrustAnchors(new ByteArrayInputStream(anchors.text().getBytes(StandardCharsets.UTF_8)));
        this.records = new Records(new Lookups(validating, ValidatingDnsResolver::judge));
    }

    private ValidatingDnsResolver(ValidatingResolver validating) {
        this.records = new Records(new Lookups(validating, ValidatingDnsResolver::judge));
    }

    /** Validation over any dnsjava resolver, such as an {@link InProcessZone}. */
    static ValidatingDnsResolver over(org.xbill.DNS.Resolver upstream, TrustAnchors anchors) throws IOException {
        ValidatingResolver validating = new ValidatingResolver(upstream);
        validating.loadTrustAnchors(new ByteArrayInputStream(anchors.text().getBytes(StandardCharsets.UTF_8)));
        return new ValidatingDnsResolver(validating);
    }

    /** AD set: validated. SERVFAIL with the validator's reason: bogus. Anything else: insecure. */
    static Lookups.Verdict judge(Message response) {
        if (response.getHeader().getFlag(Flags.AD)) {
            return new Lookups.Verdict(Security.SECURE, "");
        }
        if (response.getRcode() == Rcode.SERVFAIL) {
            for (Record record : response.getSection(Section.ADDITIONAL)) {
                // dnsjava puts the reason for a failed validation in a TXT record of a private class.
                if (record.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS && record instanceof TXTRecord txt) {
                    return new Lookups.Verdict(Security.BOGUS, String.join("", txt.getStrings()));
                }
            }
        }
        return new Lookups.Verdict(Security.INSECURE, "");
    }

    @Override
    public CompletableFuture<DnsAnswer<MxRecord>> mx(String domain) {
        return records.mx(domain);
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
        return records.addresses(host);
    }

    @Override
    public CompletableFuture<DnsAnswer<TlsaRecord>> tlsa(String name) {
        return records.tlsa(name);
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> txt(String name) {
        return records.txt(name);
    }

}
