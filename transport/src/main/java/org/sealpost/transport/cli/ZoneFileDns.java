package org.sealpost.transport.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.MxRecord;
import org.sealpost.dnssec.Outcome;
import org.sealpost.dnssec.Security;
import org.sealpost.dnssec.TlsaRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Answers lookups from master-format zone files instead of the network, so that a key or an SPF
 * record can be tested before it is published. Every record type in the files is answered (TXT, A,
 * AAAA, MX, PTR, TLSA), and CNAME records are followed. Every answer is INSECURE: a file proves
 * nothing about who wrote it. Names absent from the files are NXDOMAIN; names present without
 * records of the type asked for (an empty non-terminal included) are NODATA.
 */
final class ZoneFileDns implements DnsResolver {

    /** Owner name (lower case, no final dot) to its records. */
    private final Map<String, List<Record>> names = new HashMap<>();

    private ZoneFileDns() {
    }

    /**
     * Reads the files; relative names are taken relative to the root unless a file sets $ORIGIN.
     *
     * @throws IOException naming the file and what was wrong with it
     */
    static ZoneFileDns read(List<Path> files) throws IOException {
        ZoneFileDns dns = new ZoneFileDns();
        for (Path file : files) {
            int records = 0;
            try (InputStream in = Files.newInputStream(file); Master master = new Master(in, Name.root, 3600)) {
                for (Record record = master.nextRecord(); record != null; record = master.nextRecord()) {
                    dns.names.computeIfAbsent(key(record.getName().toString()), n -> new ArrayList<>()).add(record);
                    // Every name above an owner exists too: an empty non-terminal answers NODATA (RFC 8020).
                    for (Name parent = record.getName(); parent.labels() > 1; ) {
                        parent = new Name(parent, 1);
                        dns.names.computeIfAbsent(key(parent.toString()), n -> new ArrayList<>());
                    }
                    records++;
                }
            } catch (NoSuchFileException e) {
                throw new IOException(file + ": no such file", e);
            } catch (IOException e) {
                // dnsjava names an unnamed stream "<none>"; the file is named here already.
                String where = String.valueOf(e.getMessage()).replace("<none>:", "line ");
                throw new IOException(file + ": not a master-format zone file (" + where + "); expected lines"
                        + " such as: sel._domainkey.example.com. IN TXT ( \"v=DKIM1; k=rsa; p=...\" )", e);
            }
            if (records == 0) {
                throw new IOException(file + ": holds no records; expected lines such as:"
                        + " sel._domainkey.example.com. IN TXT ( \"v=DKIM1; k=rsa; p=...\" )");
            }
        }
        return dns;
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> txt(String name) {
        return lookup(name, Type.TXT, r -> String.join("", ((TXTRecord) r).getStrings()));
    }

    @Override
    public CompletableFuture<DnsAnswer<MxRecord>> mx(String domain) {
        return lookup(domain, Type.MX, r -> new MxRecord(((MXRecord) r).getPriority(), key(((MXRecord) r).getTarget().toString())));
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
        return a(host).thenCombine(aaaa(host), (v4, v6) -> {
            if (!v4.found() && !v6.found()) {
                return v4;
            }
            List<InetAddress> all = new ArrayList<>(v4.records());
            all.addAll(v6.records());
            return DnsAnswer.found(all, Math.min(v4.found() ? v4.ttlSeconds() : Long.MAX_VALUE,
                    v6.found() ? v6.ttlSeconds() : Long.MAX_VALUE), Security.INSECURE);
        });
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> a(String host) {
        return lookup(host, Type.A, r -> ((ARecord) r).getAddress());
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> aaaa(String host) {
        return lookup(host, Type.AAAA, r -> ((AAAARecord) r).getAddress());
    }

    @Override
    public CompletableFuture<DnsAnswer<String>> ptr(String name) {
        return lookup(name, Type.PTR, r -> key(((PTRRecord) r).getTarget().toString()));
    }

    @Override
    public CompletableFuture<DnsAnswer<TlsaRecord>> tlsa(String name) {
        return lookup(name, Type.TLSA, r -> {
            TLSARecord tlsa = (TLSARecord) r;
            return new TlsaRecord(tlsa.getCertificateUsage(), tlsa.getSelector(), tlsa.getMatchingType(),
                    java.util.HexFormat.of().formatHex(tlsa.getCertificateAssociationData()));
        });
    }

    /** The records of one type at a name, after at most 8 CNAME steps (as a resolver follows them). */
    private <T> CompletableFuture<DnsAnswer<T>> lookup(String name, int type, Function<Record, T> convert) {
        String owner = key(name);
        for (int hops = 0; hops < 8; hops++) {
            List<Record> here = names.get(owner);
            if (here == null) {
                return CompletableFuture.completedFuture(DnsAnswer.failed(Outcome.NXDOMAIN, Security.INSECURE,
                        owner + " is not in the zone files"));
            }
            List<T> found = new ArrayList<>();
            long ttl = Long.MAX_VALUE;
            String alias = null;
            for (Record record : here) {
                if (record.getType() == type) {
                    found.add(convert.apply(record));
                    ttl = Math.min(ttl, record.getTTL());
                } else if (record instanceof CNAMERecord cname) {
                    alias = key(cname.getTarget().toString());
                }
            }
            if (!found.isEmpty()) {
                return CompletableFuture.completedFuture(DnsAnswer.found(found, ttl, Security.INSECURE).ownedBy(owner));
            }
            if (alias == null) {
                return CompletableFuture.completedFuture(DnsAnswer.failed(Outcome.NODATA, Security.INSECURE,
                        owner + " has no " + Type.string(type) + " records in the zone files"));
            }
            owner = alias;
        }
        return CompletableFuture.completedFuture(DnsAnswer.failed(Outcome.SERVFAIL, Security.INSECURE,
                name + ": a CNAME chain of more than 8 steps in the zone files"));
    }

    private static String key(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
