package org.sealpost.transport.cli;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.InProcessZone;
import org.sealpost.cache.DurableStore;
import org.sealpost.keyexchange.pins.KeySet;
import org.sealpost.keyexchange.pins.Pin;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.DkimVerifier;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dmarc.DmarcEvaluator;
import org.sealpost.signing.spf.SpfChecker;
import org.sealpost.signing.spf.SpfDns;
import org.sealpost.transport.inbound.DmarcMode;
import org.sealpost.transport.inbound.InboundChecks;
import org.sealpost.dnssec.MxRecord;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.config.NetworkRange;
import org.sealpost.transport.relay.Relay;
import org.sealpost.transport.smtp.server.ListenerRole;
import org.sealpost.transport.smtp.server.ListenerSettings;
import org.sealpost.transport.smtp.server.SessionLimits;
import org.sealpost.transport.smtp.server.SmtpServer;
import picocli.CommandLine.Command;

/**
 * A self-contained run of the relay on loopback: a client submits two messages to Sealpost's
 * submission listener; Sealpost queues and DKIM-signs them, finds the destination's MX in a
 * DNSSEC-signed zone held in memory, pins the destination's XKEYS key set at the first delivery
 * and verifies the second against the pin; the destination verifies the DKIM signatures with the
 * key from the signed zone, and the demo prints what arrived.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Relays two messages through Sealpost on loopback: DKIM-signed, delivered over "
        + "STARTTLS to a destination whose key is pinned with XKEYS; shows them arriving.")
final class Demo implements Callable<Integer> {

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("sealpost-demo");
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        DemoMailbox mailbox = new DemoMailbox();
        SelfSignedCertificate certificate = new SelfSignedCertificate("mx.demo.test");
        SessionLimits limits = new SessionLimits(2048, 1000, 10 << 20, 100, Duration.ofMinutes(1),
                Duration.ofMinutes(5), 10);
        // The sender's DKIM key, published in the signed zone below.
        GeneratedKey dkim = DkimKeys.generate(KeyType.ED25519, 0);
        Files.writeString(work.resolve("dkim.pem"), dkim.privateKeyPem());

        // demo.test's MX and src.demo.test's DKIM key come from a zone signed in memory, validated
        // as the relay validates real DNS.
        InProcessZone zone = InProcessZone.signed("demo.test", "@ IN SOA ns1 hostmaster 1 3600 900 1209600 300\n"
                + "@ IN NS ns1\n@ IN MX 10 mx\nns1 IN A 127.0.0.1\nmx IN A 127.0.0.1\nmx IN AAAA ::1\n"
                + dkim.zoneFileLine("demo").replace("._domainkey IN", "._domainkey.src IN") + "\n"
                // SPF and DMARC for the sender, checked by the destination's inbound checks; psd=n makes
                // src.demo.test its own Organizational Domain, so the tree walk stays inside this zone.
                + "src IN TXT \"v=spf1 ip4:127.0.0.1 -all\"\n"
                + "_dmarc.src IN TXT \"v=DMARC1; p=reject; psd=n\"\n");
        DnsResolver dns = zone.validatingResolver();

        // The destination advertises its XKEYS key set inside TLS and verifies DKIM as it receives.
        Instant now = Instant.now();
        KeySet keySet = KeySet.sign("mx.demo.test", 1, now, now.plus(Duration.ofDays(30)), "",
                List.of(KeySet.spkiSha256(certificate.cert().getPublicKey())), List.of(), List.of(), certificate.key());
        ListenerSettings destinationSettings = new ListenerSettings("destination", ListenerRole.MX,
                new InetSocketAddress("127.0.0.1", 0), "mx.demo.test", List.of(NetworkRange.parse("127.0.0.0/8")),
                Set.of("demo.test"), SslContextBuilder.forServer(certificate.certificate(), certificate.privateKey()).build(),
                null, limits, () -> keySet, new InboundChecks(new SpfChecker(SpfDns.over(dns),
                "mx.demo.test", java.time.Clock.systemUTC()), new DkimVerifier(dns), new org.sealpost.signing.arc.ArcVerifier(dns),
                new DmarcEvaluator(dns), new org.sealpost.signing.arc.TrustedSealers(List.of()), "mx.demo.test",
                DmarcMode.ENFORCE), null);
        SmtpServer destination = new SmtpServer(destinationSettings, mailbox, group, NioServerSocketChannel.class);
        InetSocketAddress destinationAddress = destination.start();
        out.println("== destination MX for demo.test (STARTTLS, XKEYS " + keySet.hash() + ", DKIM verification) on "
                + destinationAddress);
        DnsAnswer<MxRecord> mx = dns.mx("demo.test").join();
        out.println("== DNS: demo.test MX " + mx.records() + ", DNSSEC " + mx.security()
                + " (a zone signed in memory for the demo)");

        Path configFile = work.resolve("sealpost.conf");
        Files.write(configFile, List.of(
                "hostname = relay.demo.test",
                "queue_directory = " + work.resolve("queue"),
                "listeners = submission",
                "listener.submission.role = submission",
                "listener.submission.address = 127.0.0.1:0",
                "route.demo.test = demo.test:" + destinationAddress.getPort() + "   # MX lookup, then this port",
                "dkim_key.src.demo.test = demo:" + work.resolve("dkim.pem"),
                "messages_per_connection = 1   # a new connection, and so a new pin check, per message",
                // The demo shows the pin deciding the hop. Under the default dane the relay would ask for
                // the MX host's TLSA records, and this in-memory zone signs no denial (NSEC), so "no TLSA
                // records" would come back BOGUS and defer the delivery, as it should with real DNS.
                "tls_default_level = may   # opportunistic STARTTLS: the XKEYS pin decides"));
        out.println("== configuration " + configFile + ":");
        Files.readAllLines(configFile).forEach(line -> out.println("   " + line));
        try (Relay relay = Relay.start(Config.load(configFile), dns)) {
            InetSocketAddress submission = relay.boundAddresses().get("submission");
            for (String which : List.of("first", "second")) {
                out.println("== submitting the " + which + " message to Sealpost's submission listener on " + submission);
                submit(submission, which);
                DemoMailbox.Delivered delivered = mailbox.delivered().poll(30, TimeUnit.SECONDS);
                if (delivered == null) {
                    out.println("== the message did not arrive within 30 seconds; see the log above");
                    return 1;
                }
                out.println("== the destination received, from " + delivered.envelope().client().address()
                        + " over " + delivered.envelope().client().tls() + ", checks " + delivered.results() + ":");
                delivered.content().lines().forEach(line -> out.println("   " + line));
                Thread.sleep(200); // the relay's log line for the delivery
            }
            // What the relay pinned, read back from its store as `sealpost pins show` would.
            Optional<byte[]> pinned = new DurableStore(work.resolve("queue/pins"))
                    .get("mx.demo.test:" + destinationAddress.getPort());
            if (pinned.isEmpty()) {
                out.println("== nothing was pinned; see the log above");
                return 1;
            }
            Pin pin = Pin.decode(pinned.get());
            out.println("== the relay pinned mx.demo.test's key set " + pin.set().hash() + " (serial " + pin.set().serial()
                    + ") at the first delivery and checked the second against it: tls=... (xkeys) on its to= line");
            return 0;
        } finally {
            destination.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** A plain SMTP dialogue, printed as it happens. */
    private void submit(InetSocketAddress address, String which) throws Exception {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream wire = socket.getOutputStream();
            read(in);
            for (String command : List.of("EHLO client.demo.test", "MAIL FROM:<alice@src.demo.test>",
                    "RCPT TO:<bob@demo.test>", "DATA")) {
                send(wire, command);
                read(in);
            }
            String message = "From: Alice <alice@src.demo.test>\r\nTo: Bob <bob@demo.test>\r\n"
                    + "Subject: Hello through Sealpost (" + which + ")\r\nMessage-ID: <demo-" + which + "@src.demo.test>\r\n\r\n"
                    + "This message went through Sealpost's queue, was signed, and went over STARTTLS.\r\n.\r\n";
            wire.write(message.getBytes(StandardCharsets.US_ASCII));
            out.println("C: (message)  .");
            read(in);
            send(wire, "QUIT");
            read(in);
        }
    }

    private void send(OutputStream wire, String command) throws Exception {
        out.println("C: " + command);
        wire.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        wire.flush();
    }

    private void read(BufferedReader in) throws Exception {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IllegalStateException("the server closed the connection");
            }
            out.println("S: " + line);
        } while (line.length() > 3 && line.charAt(3) == '-');
    }
}
