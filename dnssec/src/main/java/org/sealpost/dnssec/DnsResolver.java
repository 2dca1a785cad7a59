package org.sealpost.dnssec;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/** Asynchronous DNS lookups; the futures complete on the resolver's own threads, never blocking. */
public interface DnsResolver {

    /** The MX records of a domain, as published (not sorted). */
    CompletableFuture<DnsAnswer<MxRecord>> mx(String domain);

    /** The IPv4 and IPv6 addresses of a host (A and AAAA records together). */
    CompletableFuture<DnsAnswer<InetAddress>> addresses(String host);

    /** The IPv4 addresses of a host (A records alone: RFC 7208 5.3 asks for the client's address family). */
    CompletableFuture<DnsAnswer<InetAddress>> a(String host);

    /** The IPv6 addresses of a host (AAAA records alone). */
    CompletableFuture<DnsAnswer<InetAddress>> aaaa(String host);

    /** The host names of the PTR records at a name such as 4.3.2.1.in-addr.arpa (RFC 1035 3.5), lower case, no final dot. */
    CompletableFuture<DnsAnswer<String>> ptr(String name);

    /** The TLSA records at a name such as _25._tcp.mx.example.net (RFC 6698, RFC 7672). */
    CompletableFuture<DnsAnswer<TlsaRecord>> tlsa(String name);

    /** The TXT records at a name, each record's strings joined into one (RFC 7208 3.3, RFC 6376 3.6.2.2). */
    CompletableFuture<DnsAnswer<String>> txt(String name);
}
