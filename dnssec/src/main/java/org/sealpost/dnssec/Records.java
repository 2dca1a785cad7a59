package org.sealpost.dnssec;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import java.util.HexFormat;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The typed lookups of {@link DnsResolver} over one {@link Lookups}. */
final class Records {

    private final Lookups lookups;

    Records(Lookups lookups) {
        this.lookups = lookups;
    }

    CompletableFuture<DnsAnswer<MxRecord>> mx(String domain) {
        return lookups.query(domain, Type.MX, record -> {
            MXRecord mx = (MXRecord) record;
            return new MxRecord(mx.getPriority(), hostName(mx.getTarget()));
        });
    }

    CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
        CompletableFuture<DnsAnswer<InetAddress>> v4 = lookups.query(host, Type.A, r -> ((ARecord) r).getAddress());
        CompletableFuture<DnsAnswer<InetAddress>> v6 = lookups.query(host, Type.AAAA, r -> ((AAAARecord) r).getAddress());
        return v4.thenCombine(v6, Records::merge);
    }

    CompletableFuture<DnsAnswer<InetAddress>> a(String host) {
        return lookups.query(host, Type.A, r -> ((ARecord) r).getAddress());
    }

    CompletableFuture<DnsAnswer<InetAddress>> aaaa(String host) {
        return lookups.query(host, Type.AAAA, r -> ((AAAARecord) r).getAddress());
    }

    CompletableFuture<DnsAnswer<String>> ptr(String name) {
        return lookups.query(name, Type.PTR, r -> hostName(((PTRRecord) r).getTarget()));
    }

    CompletableFuture<DnsAnswer<TlsaRecord>> tlsa(String name) {
        return lookups.query(name, Type.TLSA, record -> {
            TLSARecord tlsa = (TLSARecord) record;
            return new TlsaRecord(tlsa.getCertificateUsage(), tlsa.getSelector(), tlsa.getMatchingType(),
                    HexFormat.of().formatHex(tlsa.getCertificateAssociationData()));
        });
    }

    CompletableFuture<DnsAnswer<String>> txt(String name) {
        return lookups.query(name, Type.TXT, record -> String.join("", ((TXTRecord) record).getStrings()));
    }

    /**
     * A and AAAA together. A BOGUS half makes the whole BOGUS; the whole is SECURE only if both
     * halves are; when neither has records, the temporary failure (if any) is the one reported.
     */
    static DnsAnswer<InetAddress> merge(DnsAnswer<InetAddress> v4, DnsAnswer<InetAddress> v6) {
        if (v4.security() == Security.BOGUS || v6.security() == Security.BOGUS) {
            return v4.security() == Security.BOGUS ? v4 : v6;
        }
        if (!v4.found() && !v6.found()) {
            boolean temporary = v4.outcome().isTemporary() || v6.outcome().isTemporary();
            return temporary && !v4.outcome().isTemporary() ? v6 : v4;
        }
        Security security = v4.security() == Security.SECURE && v6.security() == Security.SECURE
                ? Security.SECURE : Security.INSECURE;
        List<InetAddress> all = new ArrayList<>(v4.records());
        all.addAll(v6.records());
        long ttl = !v4.found() ? v6.ttlSeconds() : !v6.found() ? v4.ttlSeconds() : Math.min(v4.ttlSeconds(), v6.ttlSeconds());
        return DnsAnswer.found(all, ttl, security).ownedBy(v4.found() ? v4.canonicalName() : v6.canonicalName());
    }

    private static String hostName(Name name) {
        String text = name.toString(true);
        return text.equals(".") ? "" : text.toLowerCase(Locale.ROOT);
    }
}
