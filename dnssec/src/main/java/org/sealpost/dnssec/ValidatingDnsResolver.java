package org.sealpost.dnssec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
public final class ValidatingDnsResolver extends RecordsResolver {

    public ValidatingDnsResolver(List<InetSocketAddress> servers, Duration timeout, TrustAnchors anchors) throws IOException {
        this(servers, timeout, anchors, Clock.systemUTC());
    }

    /** With a clock, for tests that move validation to another time. */
    ValidatingDnsResolver(List<InetSocketAddress> servers, Duration timeout, TrustAnchors anchors, Clock clock)
            throws IOException {
        this(new ValidatingResolver(PlainDnsResolver.resolver(
                servers.isEmpty() ? ResolverConfig.getCurrentConfig().servers() : servers, timeout, true), clock), anchors);
    }

    private ValidatingDnsResolver(ValidatingResolver validating, TrustAnchors anchors) throws IOException {
        super(new Lookups(load(validating, anchors), ValidatingDnsResolver::judge));
    }

    private static ValidatingResolver load(ValidatingResolver validating, TrustAnchors anchors) throws IOException {
        validating.loadTrustAnchors(new ByteArrayInputStream(anchors.text().getBytes(StandardCharsets.UTF_8)));
        return validating;
    }

    /** Validation over any dnsjava resolver, such as an {@link InProcessZone}. */
    static ValidatingDnsResolver over(org.xbill.DNS.Resolver upstream, TrustAnchors anchors) throws IOException {
        return new ValidatingDnsResolver(new ValidatingResolver(upstream), anchors);
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





}
