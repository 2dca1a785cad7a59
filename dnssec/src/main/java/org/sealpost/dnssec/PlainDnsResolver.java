package org.sealpost.dnssec;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.EDNSOption.Code;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;

/**
 * Asks recursive resolvers without validating itself. By default every answer is INSECURE. In
 * the AD-bit mode (as Postfix's smtp_dns_support_level = dnssec) an answer with the AD bit is
 * SECURE: that mode is allowed only with resolvers on loopback, the one path an attacker on the
 * network cannot forge the bit on, and the resolver there must validate.
 */
public final class PlainDnsResolver extends RecordsResolver {

    /** Non-validating: every answer is INSECURE. */
    public PlainDnsResolver(List<InetSocketAddress> servers, Duration timeout) {
        this(servers, timeout, false);
    }

    /**
     * @param servers the recursive resolvers, in order; empty means those of /etc/resolv.conf
     * @param timeout how long to wait for one server before the next is asked
     * @param trustAdBit whether the AD bit makes an answer SECURE; requires loopback servers
     */
    public PlainDnsResolver(List<InetSocketAddress> servers, Duration timeout, boolean trustAdBit) {
        super(lookups(servers, timeout, trustAdBit));
    }

    private static Lookups lookups(List<InetSocketAddress> servers, Duration timeout, boolean trustAdBit) {
        List<InetSocketAddress> targets = servers.isEmpty() ? ResolverConfig.getCurrentConfig().servers() : servers;
        if (trustAdBit) {
            for (InetSocketAddress target : targets) {
                if (!target.getAddress().isLoopbackAddress()) {
                    throw new IllegalArgumentException("the AD bit is trusted only from a resolver on loopback, not from "
                            + target.getAddress().getHostAddress());
                }
            }
        }
        Resolver resolver = resolver(targets, timeout, trustAdBit);
        return new Lookups(resolver, response -> trustAdBit ? judgeAdBit(response)
                : new Lookups.Verdict(Security.INSECURE, ""));
    }

    /**
     * AD set: the resolver validated. A SERVFAIL that carries a DNSSEC extended error (RFC 8914
     * codes 6 to 12: bogus, expired, missing keys or signatures) is BOGUS, never INSECURE.
     */
    static Lookups.Verdict judgeAdBit(Message response) {
        if (response.getHeader().getFlag(Flags.AD)) {
            return new Lookups.Verdict(Security.SECURE, "");
        }
        OPTRecord opt = response.getOPT();
        if (response.getRcode() == Rcode.SERVFAIL && opt != null) {
            for (EDNSOption option : opt.getOptions(Code.EDNS_EXTENDED_ERROR)) {
                ExtendedErrorCodeOption error = (ExtendedErrorCodeOption) option;
                if (error.getErrorCode() >= ExtendedErrorCodeOption.DNSSEC_BOGUS
                        && error.getErrorCode() <= ExtendedErrorCodeOption.NSEC_MISSING) {
                    return new Lookups.Verdict(Security.BOGUS, "the validating resolver says: extended error "
                            + error.getErrorCode() + (error.getText() == null ? "" : " " + error.getText()));
                }
            }
        }
        return new Lookups.Verdict(Security.INSECURE, "");
    }

    static ExtendedResolver resolver(List<InetSocketAddress> targets, Duration timeout, boolean dnssecOk) {
        List<Resolver> resolvers = new ArrayList<>();
        for (InetSocketAddress target : targets) {
            SimpleResolver simple = new SimpleResolver(target);
            simple.setTimeout(timeout);
            resolvers.add(simple);
        }
        ExtendedResolver resolver = new ExtendedResolver(resolvers);
        resolver.setTimeout(timeout);
        resolver.setRetries(2);
        // EDNS0 with a 1232-octet UDP payload (DNS flag day 2020); dnsjava retries truncated answers over TCP.
        resolver.setEDNS(0, 1232, dnssecOk ? ExtendedFlags.DO : 0, List.of());
        return resolver;
    }




}
