package org.sealpost.transport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.dnssec.lab.KnotLab;
import org.sealpost.transport.smtp.server.ListenerRole;
import org.sealpost.transport.smtp.server.ListenerSettings;
import org.sealpost.transport.smtp.server.SessionLimits;
import org.sealpost.transport.smtp.server.SmtpServer;
import picocli.CommandLine;

/** sealpost check -> lab DNS (knotd, unbound) -> a Sealpost listener with STARTTLS whose key is in TLSA. */
class CheckCommandTest {

    @TempDir
    static Path dir;

    private static final NioEventLoopGroup GROUP = new NioEventLoopGroup(1);
    private static KnotLab lab;
    private static SmtpServer server;
    private static InetSocketAddress unbound;
    private static int port;
    private static org.sealpost.keyexchange.pins.KeySet keySet;

    @BeforeAll
    static void start() throws Exception {
        SelfSignedCertificate certificate = new SelfSignedCertificate("mx.checkok.good.test");
        java.time.Instant now = java.time.Instant.now();
        keySet = org.sealpost.keyexchange.pins.KeySet.sign("mx.checkok.good.test", 1, now.minusSeconds(60),
                now.plus(Duration.ofDays(30)), "", List.of(org.sealpost.keyexchange.pins.KeySet.spkiSha256(
                        certificate.cert().getPublicKey())), List.of(), List.of(), certificate.key());
        server = new SmtpServer(new ListenerSettings("mx", ListenerRole.MX, new InetSocketAddress("127.0.0.1", 0),
                "mx.checkok.good.test", List.of(), Set.of("checkok.good.test"),
                SslContextBuilder.forServer(certificate.certificate(), certificate.privateKey()).build(), null,
                new SessionLimits(2048, 1000, 1 << 20, 100, Duration.ofMinutes(1), Duration.ofMinutes(5), 10),
                () -> keySet), new DemoMailbox(), GROUP, NioServerSocketChannel.class);
        port = server.start().getPort();
        String spki = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(certificate.cert().getPublicKey().getEncoded()));
        lab = KnotLab.start(dir, "checkok IN MX 10 mx.checkok\nmx.checkok IN A 127.0.0.1\n"
                + "_" + port + "._tcp.mx.checkok IN TLSA 3 1 1 " + spki + "\n"
                + "checkbad IN MX 10 mx.checkbad\nmx.checkbad IN A 127.0.0.1\n"
                + "_" + port + "._tcp.mx.checkbad IN TLSA 3 1 1 " + "11".repeat(32) + "\n");
        unbound = lab.startUnbound();
    }

    @AfterAll
    static void stop() throws Exception {
        if (lab != null) {
            lab.close();
        }
        if (server != null) {
            server.close();
        }
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private record Run(int status, String out) {
    }

    private static Run check(String domain, String... more) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            List<String> args = new java.util.ArrayList<>(List.of("check", domain, "--resolver", "127.0.0.1:" + unbound.getPort(),
                    "--trust-anchor", lab.trustAnchors.toString(), "--port", String.valueOf(port)));
            args.addAll(List.of(more));
            int status = new CommandLine(new Main()).execute(args.toArray(String[]::new));
            return new Run(status, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void matchingTlsa_isVerifiedByDaneEe_andDelivers() {
        Run run = check("checkok.good.test");
        assertEquals(0, run.status(), run.out());
        assertTrue(run.out().contains("MX checkok.good.test: [10 mx.checkok.good.test] (SECURE)"), run.out());
        assertTrue(run.out().contains("TLSA 3 1 1 "), run.out());
        List<String> lines = run.out().lines().toList();
        assertEquals("policy=dane-only tls=yes verified=dane-ee verdict=deliver", lines.get(lines.size() - 1));
        assertTrue(run.out().contains("  xkeys: key set " + keySet.hash() + " advertised\n"), run.out());
    }

    @Test
    void withTheRelaysConfiguration_thePinIsComparedWithWhatTheHostPresents() throws Exception {
        java.nio.file.Path config = dir.resolve("relay.conf");
        java.nio.file.Files.writeString(config, "queue_directory = " + dir.resolve("relay-queue") + "\nlisteners = s\n"
                + "listener.s.role = submission\nlistener.s.address = 127.0.0.1:0\n");
        Run unpinned = check("checkok.good.test", "--config", config.toString());
        assertTrue(unpinned.out().contains("advertised; not pinned (a delivery would pin it at first contact)"), unpinned.out());
        org.sealpost.keyexchange.pins.PinStore pins = new org.sealpost.keyexchange.pins.PinStore(
                new org.sealpost.cache.DurableStore(dir.resolve("relay-queue/pins")));
        java.time.Instant now = java.time.Instant.now();
        pins.pin("mx.checkok.good.test:" + port, new org.sealpost.keyexchange.pins.Pin(keySet, now, now)).join();
        pins.close();
        Run pinned = check("checkok.good.test", "--config", config.toString());
        assertTrue(pinned.out().contains("advertised; pinned serial 1, same hash, presented key pinned"), pinned.out());
    }

    @Test
    void withTheRelaysConfiguration_theCheckGoesWhereItsRouteGoes() throws Exception {
        java.nio.file.Path config = dir.resolve("routed.conf");
        java.nio.file.Files.writeString(config, "queue_directory = " + dir.resolve("routed-queue") + "\nlisteners = s\n"
                + "listener.s.role = submission\nlistener.s.address = 127.0.0.1:0\n"
                + "route.routed.test = [127.0.0.1]:" + port + "\n");
        Run run = check("routed.test", "--config", config.toString());
        assertEquals(0, run.status(), run.out());
        assertTrue(run.out().contains("host 127.0.0.1[127.0.0.1]:" + port + ": IP literal, not looked up in DNS"), run.out());
        List<String> lines = run.out().lines().toList();
        assertEquals("policy=may tls=yes verified=none verdict=deliver", lines.get(lines.size() - 1));
    }

    @Test
    void mismatchingTlsa_defers_exit1() {
        Run run = check("checkbad.good.test");
        assertEquals(1, run.status(), run.out());
        List<String> lines = run.out().lines().toList();
        assertEquals("policy=dane-only tls=no verified=none verdict=defer", lines.get(lines.size() - 1));
        assertTrue(run.out().contains("4.7.5"), run.out());
    }

    @Test
    void unsignedMx_meansNoDane_soTheLevelFallsToMay() {
        Run run = check("plain.test");
        assertTrue(run.out().contains("MX plain.test: [10 mx.plain.test] (INSECURE)"), run.out());
        assertTrue(run.out().contains("policy: may (dane): no DANE: MX records of plain.test are not signed"), run.out());
    }

    /** A message held in memory, for the delivery the check is compared with. */
    private record Held(String queueId, org.sealpost.transport.queue.Envelope envelope, byte[] content)
            implements org.sealpost.transport.queue.QueuedMessage {

        @Override
        public long size() {
            return content.length;
        }

        @Override
        public java.io.InputStream openContent() {
            return new java.io.ByteArrayInputStream(content);
        }
    }

    /**
     * The listener's chain is self-signed: the verify level defers a real delivery to it (4.7.5),
     * so `sealpost check` must never call it deliverable, neither with --level verify nor with a
     * configuration whose tls_policy says verify.
     */
    @Test
    void aChainARealDeliveryDefers_isNeverReportedDeliverable() throws Exception {
        java.nio.file.Path config = dir.resolve("verify.conf");
        java.nio.file.Files.writeString(config, "queue_directory = " + dir.resolve("verify-queue") + "\nlisteners = s\n"
                + "listener.s.role = submission\nlistener.s.address = 127.0.0.1:0\n"
                + "route.checkok.good.test = checkok.good.test:" + port + "\n"
                + "tls_policy.checkok.good.test = verify\n");
        org.sealpost.transport.config.Config relay = org.sealpost.transport.config.Config.load(config);
        org.sealpost.dnssec.DnsResolver dns = new org.sealpost.dnssec.ValidatingDnsResolver(List.of(unbound),
                Duration.ofSeconds(5), org.sealpost.dnssec.TrustAnchors.fromFile(lab.trustAnchors, true));
        org.sealpost.transport.smtp.client.SmtpDeliverer deliverer = new org.sealpost.transport.smtp.client.SmtpDeliverer(
                relay.client(), dns, org.sealpost.transport.relay.OutboundPolicies.from(relay, dns, null,
                        java.time.Clock.systemUTC()), GROUP, io.netty.channel.socket.nio.NioSocketChannel.class);
        try {
            org.sealpost.transport.queue.Envelope envelope = new org.sealpost.transport.queue.Envelope("alice@src.example",
                    List.of(org.sealpost.transport.queue.Recipient.of("bob@checkok.good.test")),
                    org.sealpost.transport.queue.BodyType.SEVEN_BIT, false, "", "",
                    new org.sealpost.transport.queue.Envelope.ClientInfo("127.0.0.1", "c", "ESMTP", "", "", "submission"),
                    now());
            Held message = new Held("0000000000000001", envelope, "Subject: x\r\n\r\nx".getBytes(StandardCharsets.UTF_8));
            org.sealpost.transport.queue.RecipientResult delivered = deliverer.deliver(message, "checkok.good.test",
                    envelope.recipients()).join().get(0);
            assertEquals(org.sealpost.transport.queue.DeliveryStatus.DEFERRED, delivered.status(), delivered.diagnostic());
            assertEquals("4.7.5", delivered.enhancedCode(), delivered.diagnostic());
        } finally {
            deliverer.close();
        }

        Run level = check("checkok.good.test", "--level", "verify");
        assertEquals(1, level.status(), level.out());
        List<String> lines = level.out().lines().toList();
        assertEquals("policy=verify tls=no verified=none verdict=defer", lines.get(lines.size() - 1), level.out());
        assertTrue(level.out().contains("(policy pkix, result-type certificate-not-trusted)"), level.out());

        Run configured = check("checkok.good.test", "--config", config.toString());
        assertEquals(1, configured.status(), configured.out());
        assertTrue(configured.out().contains("  policy: verify (static): tls_policy for checkok.good.test"), configured.out());
        lines = configured.out().lines().toList();
        assertEquals("policy=verify tls=no verified=none verdict=defer", lines.get(lines.size() - 1), configured.out());
    }

    private static java.time.Instant now() {
        return java.time.Instant.now();
    }
}
