package org.sealpost.transport.cli;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.sealpost.dnssec.TrustAnchors;
import org.sealpost.dnssec.ValidatingDnsResolver;
import org.sealpost.cache.DurableStore;
import org.sealpost.keyexchange.mtasts.MtaSts;
import org.sealpost.keyexchange.mtasts.StsSettings;
import org.sealpost.keyexchange.pins.PinCheck;
import org.sealpost.keyexchange.pins.PinCounters;
import org.sealpost.keyexchange.pins.PinPolicy;
import org.sealpost.keyexchange.pins.PinStore;
import org.sealpost.keyexchange.policy.Policies;
import org.sealpost.keyexchange.policy.TlsLevel;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.config.ConfigException;
import org.sealpost.transport.relay.OutboundPolicies;
import org.sealpost.transport.smtp.client.PeerCheck;
import org.sealpost.transport.smtp.client.Route;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `sealpost check DOMAIN`: a diagnosis of the hop to a domain, like posttls-finger. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Shows what a delivery to DOMAIN would meet: MX hosts and their DNSSEC status, "
        + "TLSA records and which are usable, STARTTLS, the chain presented and how it was verified. The last line is "
        + "'policy=... tls=yes|no verified=dane-ee|dane-ta|none verdict=deliver|defer'; exit status 0 for deliver, 1 "
        + "for defer. It decides with the same list of TLS policies as the relay's deliveries. The XKEYS key set the host "
        + "advertises is shown, and with --config compared with the relay's pin.")
final class CheckCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DOMAIN", description = "the recipient domain")
    String domain;

    @Option(names = "--resolver", paramLabel = "HOST:PORT", description = "ask this server (default: /etc/resolv.conf)")
    String resolver;

    @Option(names = "--trust-anchor", paramLabel = "FILE", description = "DS or DNSKEY lines instead of the root anchors")
    Path trustAnchor;

    @Option(names = "--port", defaultValue = "25", paramLabel = "N",
            description = "connect to port N and look the TLSA records up at _N._tcp (RFC 6698)")
    int port;

    @Option(names = "--level", paramLabel = "LEVEL", description = "the TLS level to check against, in place of the "
            + "default level (tls_default_level of --config, else dane); static tls_policy entries of --config still apply")
    String level;

    @Option(names = "--helo", defaultValue = "sealpost-check.invalid", paramLabel = "NAME", description = "the EHLO name")
    String helo;

    @Option(names = "--mta-sts-port", paramLabel = "N", description = "fetch MTA-STS policies from port N of "
            + "mta-sts.DOMAIN (default: mta_sts_port of --config, else 443); the policy is fetched for this check alone "
            + "and never written to the relay's store")
    Integer mtaStsPort;

    @Option(names = "--tls-ca-file", paramLabel = "FILE", description = "trust the authorities in this PEM file "
            + "(a test authority) for the MX hosts at verify and secure and for the MTA-STS policy host, in place of "
            + "tls_ca_file of --config or the JDK's cacerts")
    Path tlsCaFile;

    @Option(names = "--config", paramLabel = "FILE", description = "check as the relay that uses this configuration "
            + "would deliver: its routes and relayhost, its TLS policies (tls_policy, tls_default_level, tls_ca_file, "
            + "mta_sts, mta_sts_port) and "
            + "its XKEYS pins (read only: nothing is pinned)")
    Path config;

    @Override
    public Integer call() throws Exception {
        List<InetSocketAddress> servers = resolver == null ? List.of() : List.of(DnsCommand.serverAddress(resolver));
        ValidatingDnsResolver dns = new ValidatingDnsResolver(servers, Duration.ofSeconds(5),
                trustAnchor == null ? TrustAnchors.root() : TrustAnchors.fromFile(trustAnchor, true));
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        MtaSts mtaSts = null;
        Path stsStore = null;
        try {
            TlsLevel wanted;
            try {
                wanted = level == null ? null : TlsLevel.parse(level);
            } catch (IllegalArgumentException e) {
                System.err.println("sealpost check: --level: " + e.getMessage());
                return Main.CONFIG_ERROR;
            }
            PinStore pins = null;
            PinPolicy pinPolicy = null;
            Map<String, Route> routes = Map.of();
            Policies policies;
            if (mtaStsPort != null && (mtaStsPort < 1 || mtaStsPort > 65535)) {
                System.err.println("sealpost check: --mta-sts-port: " + mtaStsPort + " is not a port number (1 to 65535)");
                return Main.CONFIG_ERROR;
            }
            try {
                Config relay = config == null ? null : Config.load(config);
                if (relay != null) {
                    Integer engine = Main.installTls("check", relay.tlsEngine()); // the relay's TLS engine
                    if (engine != null) {
                        return engine;
                    }
                    pins = new PinStore(new DurableStore(relay.pinDirectory()));
                    // Judged as a delivery would judge them, but never written: a check pins nothing.
                    pinPolicy = new PinPolicy(PinCheck.readOnly(pins), relay.pins().modes(), new PinCounters(), Clock.systemUTC());
                    routes = relay.client().routes(); // where a delivery would go: routes and relayhost
                }
                int stsPort = mtaStsPort != null ? mtaStsPort : relay != null ? relay.mtaSts().port() : StsSettings.DEFAULT_PORT;
                // A folder of this run's own: the check fetches afresh and never writes queue_directory/mta-sts.
                stsStore = Files.createTempDirectory("sealpost-check-mta-sts");
                Set<TrustAnchor> authorities = OutboundPolicies.authorities(relay, tlsCaFile);
                mtaSts = OutboundPolicies.mtaSts(relay, authorities, stsPort, dns, stsStore, Clock.systemUTC());
                policies = OutboundPolicies.forCheck(relay, wanted, authorities, dns, pinPolicy, mtaSts, Clock.systemUTC());
            } catch (ConfigException e) {
                Main.printConfigurationErrors(e);
                return Main.CONFIG_ERROR;
            }
            PeerCheck.Report report = new PeerCheck(dns, group, NioSocketChannel.class, helo, pins, routes, policies, mtaSts)
                    .check(domain, port);
            report.lines().forEach(System.out::println);
            System.out.println(report.summary());
            return report.deliver() ? 0 : 1;
        } finally {
            if (mtaSts != null) {
                mtaSts.close();
            }
            if (stsStore != null) {
                removeFolder(stsStore);
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** The check's own policy folder, removed when it ends (best effort: it is in the temporary folder). */
    private static void removeFolder(Path folder) {
        try (java.util.stream.Stream<Path> files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (java.io.IOException e) {
            // left for the system's cleaning of the temporary folder
        }
    }
}
