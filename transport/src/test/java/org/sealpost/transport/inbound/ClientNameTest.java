package org.sealpost.transport.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.MxRecord;
import org.sealpost.dnssec.Outcome;
import org.sealpost.dnssec.Security;
import org.sealpost.dnssec.TlsaRecord;
import org.sealpost.transport.smtp.server.ReverseLookup;

class ClientNameTest {

    /** PTR and address answers set by the test; anything else is NXDOMAIN. */
    private static final class Zone implements DnsResolver {
        final Map<String, DnsAnswer<String>> ptr = new HashMap<>();
        final Map<String, DnsAnswer<InetAddress>> addresses = new HashMap<>();

        @Override
        public CompletableFuture<DnsAnswer<String>> ptr(String name) {
            return CompletableFuture.completedFuture(ptr.getOrDefault(name, nx()));
        }

        @Override
        public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
            return CompletableFuture.completedFuture(addresses.getOrDefault(host, nx()));
        }

        @Override
        public CompletableFuture<DnsAnswer<InetAddress>> a(String host) {
            return addresses(host);
        }

        @Override
        public CompletableFuture<DnsAnswer<InetAddress>> aaaa(String host) {
            return addresses(host);
        }

        @Override
        public CompletableFuture<DnsAnswer<MxRecord>> mx(String domain) {
            return CompletableFuture.completedFuture(nx());
        }

        @Override
        public CompletableFuture<DnsAnswer<TlsaRecord>> tlsa(String name) {
            return CompletableFuture.completedFuture(nx());
        }

        @Override
        public CompletableFuture<DnsAnswer<String>> txt(String name) {
            return CompletableFuture.completedFuture(nx());
        }

        private static <T> DnsAnswer<T> nx() {
            return DnsAnswer.failed(Outcome.NXDOMAIN, Security.INSECURE, "no such name");
        }
    }

    private static final InetAddress CLIENT = address("192.0.2.7");

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void ptrNameThatResolvesBack_isTheVerifiedName() {
        Zone zone = new Zone();
        zone.ptr.put("7.2.0.192.in-addr.arpa", DnsAnswer.found(List.of("other.example", "mail.sender.example"), 300,
                Security.INSECURE));
        zone.addresses.put("other.example", DnsAnswer.found(List.of(address("198.51.100.1")), 300, Security.INSECURE));
        zone.addresses.put("mail.sender.example", DnsAnswer.found(List.of(CLIENT), 300, Security.INSECURE));
        assertEquals("mail.sender.example", new ClientName(zone).verifiedName(CLIENT).join());
    }

    @Test
    void ptrNameThatDoesNotResolveBack_isUnknown() {
        Zone zone = new Zone();
        zone.ptr.put("7.2.0.192.in-addr.arpa", DnsAnswer.found(List.of("forged.example"), 300, Security.INSECURE));
        zone.addresses.put("forged.example", DnsAnswer.found(List.of(address("198.51.100.1")), 300, Security.INSECURE));
        assertEquals("", new ClientName(zone).verifiedName(CLIENT).join());
    }

    @Test
    void noPtr_isUnknown_andADnsFailureIsTemporary() {
        Zone zone = new Zone();
        assertEquals("", new ClientName(zone).verifiedName(CLIENT).join());
        zone.ptr.put("7.2.0.192.in-addr.arpa", DnsAnswer.failed(Outcome.TIMEOUT, Security.INSECURE, "timed out"));
        assertEquals(ReverseLookup.TEMPORARY, new ClientName(zone).verifiedName(CLIENT).join());
    }

    @Test
    void reverseNames_ofIpv4AndIpv6() {
        assertEquals("7.2.0.192.in-addr.arpa", ClientName.reverseName(CLIENT));
        assertEquals("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa",
                ClientName.reverseName(address("2001:db8::1")));
    }
}
