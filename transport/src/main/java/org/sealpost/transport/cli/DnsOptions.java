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
 * The DNS options of the commands that look things up without a running relay: zone files, or a
 * resolver with DNSSEC validated from trust anchors. A picocli mixin.
 */
final class DnsOptions {

    @Option(names = "--dns-zone", paramLabel = "FILE", description = "answer lookups from this master-format "
            + "zone file (repeatable); what is found there is INSECURE, other names do not exist")
    List<Path> zones = new ArrayList<>();

    @Option(names = "--resolver", paramLabel = "HOST:PORT", description = "ask this server (default: /etc/resolv.conf)")
    String resolver;

    @Option(names = "--trust-anchor", paramLabel = "FILE",
            description = "DS or DNSKEY lines to validate from, instead of the built-in root anchors")
    Path trustAnchor;

    /**
     * The resolver the options ask for.
     *
     * @throws IllegalArgumentException for options that do not go together or a malformed value
     * @throws IOException naming the file that could not be read
     */
    DnsResolver resolver() throws IOException {
        if (!zones.isEmpty() && (resolver != null || trustAnchor != null)) {
            throw new IllegalArgumentException("--dns-zone answers every lookup by itself; leave out --resolver and "
                    + "--trust-anchor, or leave out --dns-zone to look the names up in DNS");
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
