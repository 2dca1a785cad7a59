package org.sealpost.transport.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.PlainDnsResolver;
import org.sealpost.dnssec.Security;
import org.sealpost.dnssec.TrustAnchors;
import org.sealpost.dnssec.ValidatingDnsResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `sealpost dns lookup TYPE NAME`: the records and how far to trust them, as the relay sees them. */
@Command(name = "dns", mixinStandardHelpOptions = true,
        description = "DNS as Sealpost sees it.", subcommands = {DnsCommand.Lookup.class,
        DnsCommand.Records.class})
final class DnsCommand {

    /** "host:port", "[v6]:port" or "host" (port 53). */
    static InetSocketAddress serverAddress(String text) {
        int colon = text.lastIndexOf(':');
        boolean hasPort = colon > 0 && (text.indexOf(':') == colon || text.contains("]:"));
        return hasPort ? new InetSocketAddress(text.substring(0, colon).replaceAll("[\\[\\]]", ""),
                Integer.parseInt(text.substring(colon + 1))) : new InetSocketAddress(text.replaceAll("[\\[\\]]", ""), 53);
    }

    @Command(name = "records", mixinStandardHelpOptions = true,
            description = "Prints the TLSA 3 1 1 records to publish for every listener with "
            + "STARTTLS: for the current certificate, and for tls_next_cert_file when set (publish both before a "
            + "key rollover, RFC 7671 8.1).")
    static final class Records extends ConfiguredCommand {

        @Override
        int run(org.sealpost.transport.config.Config settings) throws Exception {
            List<Path> certificates = new java.util.ArrayList<>();
            settings.tlsCertFile().ifPresent(certificates::add);
            // A configured next certificate that is not written yet has nothing to publish.
            settings.tlsNextCertFile().filter(java.nio.file.Files::exists).ifPresent(certificates::add);
            java.util.Set<String> lines = new java.util.LinkedHashSet<>();
            for (org.sealpost.transport.config.Config.Listener listener : settings.listeners()) {
                if (!listener.starttls()) {
                    continue;
                }
                for (Path file : certificates) {
                    java.security.cert.X509Certificate certificate;
                    try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
                        certificate = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory
                                .getInstance("X.509").generateCertificate(in);
                    } catch (java.io.IOException | java.security.cert.CertificateException e) {
                        System.err.println("sealpost dns records: " + file + ": cannot read a PEM certificate: "
                                + e.getMessage());
                        return Main.CONFIG_ERROR;
                    }
                    lines.add("_" + listener.address().getPort() + "._tcp." + settings.hostname() + ". IN TLSA 3 1 1 "
                            + TlsCommand.tlsa311(certificate) + (file.equals(settings.tlsNextCertFile().orElse(null))
                            ? "   ; next key" : "   ; current key"));
                }
            }
            if (lines.isEmpty()) {
                System.err.println("sealpost dns records: no listener offers STARTTLS, so there is nothing to publish");
                return 1;
            }
            lines.forEach(System.out::println);
            return 0;
        }
    }

    @Command(name = "lookup", mixinStandardHelpOptions = true,
            description = "Prints the records of TYPE (MX, A, AAAA, TLSA, TXT) at NAME, then a "
            + "summary line with the answer's DNSSEC status (SECURE, INSECURE, BOGUS) and, for BOGUS, the reason. "
            + "Exit status: 0 records found and not bogus, 1 none (or bogus), 2 usage error.")
    static final class Lookup implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "TYPE", description = "MX, A, AAAA, TLSA or TXT")
        String type;

        @Parameters(index = "1", paramLabel = "NAME", description = "the domain name")
        String name;

        @Option(names = "--resolver", paramLabel = "HOST:PORT", description = "ask this server (default: /etc/resolv.conf)")
        String resolver;

        @Option(names = "--trust-anchor", paramLabel = "FILE",
                description = "DS or DNSKEY lines to validate from, instead of the built-in root anchors")
        Path trustAnchor;

        @Option(names = "--ad-bit", description = "trust the AD bit of a validating resolver on loopback instead of "
                + "validating here")
        boolean adBit;

        @Override
        public Integer call() throws Exception {
            List<InetSocketAddress> servers = resolver == null ? List.of() : List.of(serverAddress(resolver));
            DnsResolver dns;
            try {
                dns = adBit ? new PlainDnsResolver(servers, Duration.ofSeconds(5), true)
                        : new ValidatingDnsResolver(servers, Duration.ofSeconds(5),
                                trustAnchor == null ? TrustAnchors.root() : TrustAnchors.fromFile(trustAnchor, true));
            } catch (IllegalArgumentException | java.io.IOException e) {
                System.err.println("sealpost dns lookup: " + e.getMessage());
                return Main.CONFIG_ERROR;
            }
            DnsAnswer<?> answer = switch (type.toUpperCase(Locale.ROOT)) {
                case "MX" -> dns.mx(name).join();
                case "A", "AAAA" -> dns.addresses(name).join();
                case "TLSA" -> dns.tlsa(name).join();
                case "TXT" -> dns.txt(name).join();
                default -> null;
            };
            if (answer == null) {
                System.err.println("sealpost dns lookup: TYPE must be MX, A, AAAA, TLSA or TXT, not '" + type + "'");
                return Main.CONFIG_ERROR;
            }
            for (Object record : answer.records()) {
                String text = record instanceof java.net.InetAddress address ? address.getHostAddress() : record.toString();
                if (type.equalsIgnoreCase("A") && text.contains(":") || type.equalsIgnoreCase("AAAA") && !text.contains(":")) {
                    continue;
                }
                System.out.println(name + " " + type.toUpperCase(Locale.ROOT) + " " + text);
            }
            System.out.println("; security=" + answer.security() + " outcome=" + answer.outcome() + " ttl="
                    + answer.ttlSeconds() + (answer.reason().isEmpty() ? "" : " reason=" + answer.reason()));
            return answer.found() && answer.security() != Security.BOGUS ? 0 : 1;
        }
    }
}
