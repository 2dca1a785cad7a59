package org.sealpost.dnssec;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Asynchronous DNS lookups; the futures complete on the resolver's own threads, never blocking. */
public interface DnsResolver {

    /** The MX records of a domain, as published (not sorted). */
    CompletableFuture<DnsAnswer<MxRecord>> mx(String domain);

    /** The IPv4 and IPv6 addresses of a host (A and AAAA records together). */
    CompletableFuture<DnsAnswer<InetAddress>> addresses(String host);
}
