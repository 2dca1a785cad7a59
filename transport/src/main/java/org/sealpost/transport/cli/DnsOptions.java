package org.sealpost.transport.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.TrustAnchors;
import org.sealpost.dnssec.ValidatingDnsResolver;
import picocli.CommandLine.Option;

/**
 * The DNS options of the commands that look records up without a running relay: zone files, or a
 * validating lookup through a resolver from trust anchors. A picocli mixin, shared by
 * {@code sealpost dkim verify} and {@code sealpost spf check}.
 */
final class DnsOptions {

    @Option(names = "--dns-zone", paramLabel = "FILE", description = "answer lookups from this master-format zone file "
            + "(repeatable; every record type in it is answered); records found there are INSECURE, other names do "
            + "not exist")
    List<Path> zones = new ArrayList<>();

    @Option(names = "--resolver", paramLabel = "HOST:PORT", description = "ask this server (default: /etc/resolv.conf)")
    String resolver;

    @Option(names = "--trust-anchor", paramLabel = "FILE",
            description = "DS or DNSKEY lines to validate from, instead of the built-in root anchors")
    Path trustAnchor;

    /**
     * The resolver the options describe.
     *
     * @throws IllegalArgumentException for options that do not go together or a bad --resolver
     * @throws IOException naming the zone or trust anchor file that cannot be read
     */
    DnsResolver resolver() throws IOException {
        if (!zones.isEmpty() && (resolver != null || trustAnchor != null)) {
            throw new IllegalArgumentException("--dns-zone answers every lookup by itself; leave out --resolver and "
                    + "--trust-anchor, or leave out --dns-zone to look the records up in DNS");
        }
        return zones.isEmpty() ? validating() : ZoneFileDns.read(zones);
    }

    private DnsResolver validating() throws IOException {
        List<InetSocketAddress> servers;
        try {
            servers = resolver == null ? List.of() : List.of(DnsCommand.serverAddress(resolver));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--resolver is HOST:PORT or HOST, not '" + resolver + "'");
        }
        TrustAnchors anchors;
        try {
            anchors = trustAnchor == null ? TrustAnchors.root() : TrustAnchors.fromFile(trustAnchor, true);
        } catch (NoSuchFileException e) {
            throw new IOException(trustAnchor + ": no such trust anchor file", e);
        }
        try {
            return new ValidatingDnsResolver(servers, Duration.ofSeconds(5), anchors);
        } catch (IOException e) {
            throw new IOException((trustAnchor == null ? "the root trust anchors" : trustAnchor.toString())
                    + ": cannot load the trust anchors (expected DS or DNSKEY lines in zone-file form): "
                    + e.getMessage(), e);
        }
    }
}
