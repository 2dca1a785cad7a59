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
import org.sealpost.transport.publishing.PolicyFile;
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
            description = "Prints the DNS records to publish: the TLSA 3 1 1 records of every listener with "
            + "STARTTLS, for the current certificate and for tls_next_cert_file when set (publish both before a "
            + "key rollover, RFC 7671 8.1); the _mta-sts TXT record of each policy domain with the policy file to "
            + "serve at https://mta-sts.DOMAIN/.well-known/mta-sts.txt (RFC 8461); and with tlsrpt_rua the _smtp._tls "
            + "TXT records that ask senders for TLS reports (RFC 8460).")
    static final class Records extends ConfiguredCommand {

        @Option(names = "--policy-file", description = "print only the MTA-STS policy file, as it is to be served "
                + "(lines end in CRLF)")
        boolean policyFile;

        @Override
        int run(org.sealpost.transport.config.Config settings) throws Exception {
            org.sealpost.transport.config.Config.Publishing publishing = settings.publishing();
            PolicyFile policy = PolicyFile.of(publishing);
            if (policyFile) {
                System.out.print(policy.text());
                return 0;
            }
            java.util.Set<String> lines = new java.util.LinkedHashSet<>();
            int status = tlsa(settings, lines);
            if (status != 0) {
                return status;
            }
            if (lines.isEmpty()) {
                System.err.println("sealpost dns records: no listener offers STARTTLS, so there is nothing to publish "
                        + "(DANE and MTA-STS both need STARTTLS on the mx listener)");
                return 1;
            }
            if (!publishing.tlsrptRua().isEmpty()) {
                // RFC 8460 3: reports about DANE go to the MX host's name, about MTA-STS to the policy domain's.
                lines.add(tlsrpt(settings.hostname(), publishing) + "   ; TLS reports about DANE toward this host");
            }
            for (String domain : publishing.domains()) {
                lines.add("_mta-sts." + domain + ". IN TXT \"" + policy.txtRecord() + "\"   ; MTA-STS, mode "
                        + publishing.mode());
                if (!publishing.tlsrptRua().isEmpty()) {
                    lines.add(tlsrpt(domain, publishing) + "   ; TLS reports about MTA-STS toward " + domain);
                }
            }
            lines.forEach(System.out::println);
            if (!publishing.domains().isEmpty()) {
                printPolicy(settings, publishing, policy);
            }
            return 0;
        }

        private static String tlsrpt(String name, org.sealpost.transport.config.Config.Publishing publishing) {
            return "_smtp._tls." + name + ". IN TXT \"v=TLSRPTv1; rua=" + String.join(",", publishing.tlsrptRua()) + "\"";
        }

        /** The policy file as comments, where it is to be served, and what its certificates must name. */
        private static void printPolicy(org.sealpost.transport.config.Config settings,
                org.sealpost.transport.config.Config.Publishing publishing, PolicyFile policy) {
            String hosts = String.join(", ", publishing.domains().stream().map(PolicyFile::policyHost).toList());
            System.out.println("; the policy file (sealpost dns records --policy-file prints it alone), served as text/plain at");
            for (String domain : publishing.domains()) {
                System.out.println(";   https://" + PolicyFile.policyHost(domain) + PolicyFile.PATH);
            }
            System.out.println(publishing.listen().map(address -> "; by Sealpost on mta_sts_policy_listen "
                    + address.getHostString() + ":" + address.getPort() + " (" + hosts
                    + " must resolve to it; senders connect on port 443)")
                    .orElse("; by a web server with a certificate from a public authority naming " + hosts));
            policy.lines().forEach(line -> System.out.println(";   " + line));
            for (String mx : PolicyFile.unusableMx(publishing)) {
                System.out.println("; warning: mx " + mx + " is no MX host name (mta_sts_policy_mx defaults to hostname): "
                        + "set mta_sts_policy_mx to the MX hosts of " + String.join(", ", publishing.domains()));
            }
            if (publishing.mode().equals("enforce")) {
                System.out.println("; enforce: senders deliver only to the mx hosts above, over TLS with a certificate "
                        + "from a public authority naming the host; start with testing and read the TLS reports first");
            }
        }

        /** The TLSA records of the listeners with STARTTLS; a status other than 0 when a certificate cannot be read. */
        private static int tlsa(org.sealpost.transport.config.Config settings, java.util.Set<String> lines) throws Exception {
            List<Path> certificates = new java.util.ArrayList<>();
            settings.tlsCertFile().ifPresent(certificates::add);
            // A configured next certificate that is not written yet has nothing to publish.
            settings.tlsNextCertFile().filter(java.nio.file.Files::exists).ifPresent(certificates::add);
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
