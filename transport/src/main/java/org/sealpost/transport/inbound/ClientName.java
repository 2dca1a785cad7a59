package org.sealpost.transport.inbound;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.transport.smtp.server.ReverseLookup;

/**
 * The client's verified name: the PTR names of its address (RFC 1035 3.5, RFC 3596 2.5), the first
 * of which resolves back to that address, as Postfix's smtpd verifies its client name (a name
 * that does not resolve back is "unknown").
 */
public final class ClientName implements ReverseLookup {

    /** As RFC 7208 4.6.4 bounds the PTR names an SPF check follows. */
    static final int MAX_NAMES = 10;

    private final DnsResolver dns;

    public ClientName(DnsResolver dns) {
        this.dns = dns;
    }

    @Override
    public CompletableFuture<String> verifiedName(InetAddress address) {
        return dns.ptr(reverseName(address)).thenCompose(ptr -> {
            if (!ptr.found()) {
                return CompletableFuture.completedFuture(ptr.outcome().isTemporary() ? TEMPORARY : "");
            }
            List<String> names = ptr.records().stream().limit(MAX_NAMES).toList();
            List<CompletableFuture<DnsAnswer<InetAddress>>> forward = new ArrayList<>();
            names.forEach(name -> forward.add(dns.addresses(name)));
            return CompletableFuture.allOf(forward.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
                boolean temporary = false;
                for (int i = 0; i < names.size(); i++) {
                    DnsAnswer<InetAddress> answer = forward.get(i).join();
                    if (answer.found() && answer.records().contains(address)) {
                        return names.get(i);
                    }
                    temporary |= !answer.found() && answer.outcome().isTemporary();
                }
                return temporary ? TEMPORARY : "";
            });
        }).exceptionally(failure -> TEMPORARY);
    }

    /** 7.2.0.192.in-addr.arpa, or the 32 nibbles of an IPv6 address under ip6.arpa. */
    static String reverseName(InetAddress address) {
        byte[] octets = address.getAddress();
        StringBuilder name = new StringBuilder();
        for (int i = octets.length - 1; i >= 0; i--) {
            int b = octets[i] & 0xff;
            if (address instanceof Inet4Address) {
                name.append(b).append('.');
            } else {
                name.append(Character.forDigit(b & 15, 16)).append('.').append(Character.forDigit(b >> 4, 16)).append('.');
            }
        }
        return name.append(address instanceof Inet4Address ? "in-addr.arpa" : "ip6.arpa").toString();
    }
}
