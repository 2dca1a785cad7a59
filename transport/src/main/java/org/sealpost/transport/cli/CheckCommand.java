package org.sealpost.transport.cli;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.sealpost.dnssec.TrustAnchors;
import org.sealpost.dnssec.ValidatingDnsResolver;
import org.sealpost.keyexchange.policy.TlsLevel;
import org.sealpost.transport.smtp.client.PeerCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `sealpost check DOMAIN`: a diagnosis of the hop to a domain, like posttls-finger. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Shows what a delivery to DOMAIN would meet: MX hosts and their DNSSEC status, "
        + "TLSA records and which are usable, STARTTLS, the chain presented and how it was verified. The last line is "
        + "'policy=... tls=yes|no verified=dane-ee|dane-ta|none verdict=deliver|defer'; exit status 0 for deliver, 1 "
        + "for defer. The XKEYS key set the host advertises is shown, and with --config compared with the relay's pin.")
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

    @Option(names = "--level", defaultValue = "dane", paramLabel = "LEVEL", description = "the TLS level to check against")
    String level;

    @Option(names = "--helo", defaultValue = "sealpost-check.invalid", paramLabel = "NAME", description = "the EHLO name")
    String helo;

    @Option(names = "--config", paramLabel = "FILE", description = "go where the relay that uses this "
            + "configuration would deliver (its routes and relayhost), and compare the host's XKEYS key set and key with "
            + "its pins (read only)")
    Path config;

    @Override
    public Integer call() throws Exception {
        List<InetSocketAddress> servers = resolver == null ? List.of() : List.of(DnsCommand.serverAddress(resolver));
        ValidatingDnsResolver dns = new ValidatingDnsResolver(servers, Duration.ofSeconds(5),
                trustAnchor == null ? TrustAnchors.root() : TrustAnchors.fromFile(trustAnchor, true));
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        try {
            org.sealpost.keyexchange.pins.PinStore pins = null;
            java.util.Map<String, org.sealpost.transport.smtp.client.Route> routes = java.util.Map.of();
            if (config != null) {
                try {
                    org.sealpost.transport.config.Config relay = org.sealpost.transport.config.Config.load(config);
                    pins = new org.sealpost.keyexchange.pins.PinStore(new org.sealpost.cache.DurableStore(relay.pinDirectory()));
                    routes = relay.client().routes(); // where a delivery would go: routes and relayhost
                } catch (org.sealpost.transport.config.ConfigException e) {
                    Main.printConfigurationErrors(e);
                    return Main.CONFIG_ERROR;
                }
            }
            PeerCheck.Report report = new PeerCheck(dns, group, NioSocketChannel.class, helo, pins, routes)
                    .check(domain, port, TlsLevel.parse(level));
            report.lines().forEach(System.out::println);
            System.out.println(report.summary());
            return report.deliver() ? 0 : 1;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
