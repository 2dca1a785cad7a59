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
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.MxRecord;
import org.sealpost.dnssec.Outcome;
import org.sealpost.dnssec.Security;
import org.sealpost.dnssec.TlsaRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

/**
 * Answers TXT lookups from master-format zone files instead of the network, so that a key can be
 * tested before it is published. Every answer is INSECURE: a file proves nothing about who wrote it.
 * Names absent from the files are NXDOMAIN; names present without TXT records are NODATA.
 */
final class ZoneFileDns implements DnsResolver {

    /** Owner name (lower case, no final dot) to its TXT records, each record's strings joined. */
    private final Map<String, List<String>> txt = new HashMap<>();
    private final Map<String, Long> ttl = new HashMap<>();

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
                    String owner = key(record.getName().toString());
                    dns.txt.computeIfAbsent(owner, n -> new ArrayList<>());
                    if (record instanceof TXTRecord text) {
                        dns.txt.get(owner).add(String.join("", text.getStrings()));
                        dns.ttl.merge(owner, record.getTTL(), Math::min);
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
        List<String> records = txt.get(key(name));
        if (records == null) {
            return CompletableFuture.completedFuture(DnsAnswer.failed(Outcome.NXDOMAIN, Security.INSECURE,
                    name + " is not in the zone files"));
        }
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(DnsAnswer.failed(Outcome.NODATA, Security.INSECURE,
                    name + " has no TXT records in the zone files"));
        }
        return CompletableFuture.completedFuture(DnsAnswer.found(records, ttl.get(key(name)), Security.INSECURE));
    }

    @Override
    public CompletableFuture<DnsAnswer<MxRecord>> mx(String domain) {
        return absent(domain);
    }

    @Override
    public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
        return absent(host);
    }

    @Override
    public CompletableFuture<DnsAnswer<TlsaRecord>> tlsa(String name) {
        return absent(name);
    }

    /** Only TXT records are loaded: other types are NODATA at a known name, NXDOMAIN elsewhere. */
    private <T> CompletableFuture<DnsAnswer<T>> absent(String name) {
        Outcome outcome = txt.containsKey(key(name)) ? Outcome.NODATA : Outcome.NXDOMAIN;
        return CompletableFuture.completedFuture(DnsAnswer.failed(outcome, Security.INSECURE,
                "the zone files answer TXT lookups only"));
    }

    private static String key(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
