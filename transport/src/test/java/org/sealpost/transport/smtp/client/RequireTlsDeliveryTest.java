package org.sealpost.transport.smtp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.keyexchange.dane.DaneLookup;
import org.sealpost.keyexchange.dane.DanePolicy;
import org.sealpost.keyexchange.policy.DefaultLevel;
import org.sealpost.keyexchange.policy.Policies;
import org.sealpost.keyexchange.policy.StaticPolicy;
import org.sealpost.keyexchange.policy.TlsLevel;
import org.sealpost.transport.cli.DemoMailbox;
import org.sealpost.transport.queue.BodyType;
import org.sealpost.transport.queue.DeliveryStatus;
import org.sealpost.transport.queue.RecipientResult;
import org.sealpost.transport.smtp.server.SmtpServer;

/**
 * SmtpDeliverer with REQUIRETLS or TLS-Required: No (RFC 8689) -> MX and TLSA from a signed zone
 * in memory -> a Sealpost listener (announces REQUIRETLS inside TLS) or a scripted peer (does not).
 */
class RequireTlsDeliveryTest {

    private static final String CONTENT = "Subject: sealed\r\n\r\nx";
    private static final String NO_TLS_REQUIRED = "TLS-Required: No\r\nSubject: relaxed\r\n\r\nx";

    @RegisterExtension
    final TestLoop loop = new TestLoop(2);

    private final DemoMailbox mailbox = new DemoMailbox();
    private final SelfSignedCertificate certificate = certificate();
    private SmtpDeliverer deliverer;

    private static SelfSignedCertificate certificate() {
        try {
            return new SelfSignedCertificate("mx.dane.test");
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Sealpost mx listener with STARTTLS: it announces REQUIRETLS inside TLS. */
    private int sealpost() throws Exception {
        SmtpServer server = new SmtpServer(DaneTestDomain.mxListener(certificate, Set.of("dane.test")), mailbox,
                loop.group(), NioServerSocketChannel.class);
        loop.closeAfterTest(server::close);
        return server.start().getPort();
    }

    /** A peer with STARTTLS (when {@code tls}) that never announces REQUIRETLS, like Postfix 3.7. */
    private ScriptedServer withoutRequireTls(boolean tls) throws Exception {
        ScriptedServer peer = new ScriptedServer();
        if (tls) {
            peer.tls = ScriptedServer.serverTls(certificate);
            peer.keywords = List.of("PIPELINING", "STARTTLS", "ENHANCEDSTATUSCODES");
            peer.keywordsInTls = List.of("PIPELINING", "ENHANCEDSTATUSCODES");
        }
        return peer;
    }

    private String tlsa311(SelfSignedCertificate of) throws Exception {
        return DaneTestDomain.spkiSha256(of);
    }

    /** The deliverer toward dane.test:PORT, its MX signed, with a TLSA 3 1 1 record of {@code tlsaData} (none when null). */
    private void deliverer(int port, String tlsaData, Map<String, TlsLevel> statics) throws Exception {
        DnsResolver dns = ipv4Only(DaneTestDomain.signed(port, tlsaData == null ? null : "3 1 1 " + tlsaData));
        ClientSettings settings = TestClientSettings.toward(Map.of("*", Route.parse("dane.test:" + port)));
        deliverer = loop.closeAfterTest(new SmtpDeliverer(settings, dns, new Policies(List.of(new StaticPolicy(statics),
                new DefaultLevel(TlsLevel.DANE), new DanePolicy(new DaneLookup(dns), Clock.systemUTC()))), loop.group(),
                NioSocketChannel.class));
    }

    /** The peers listen on 127.0.0.1 only: the host's ::1 would add a target that always refuses. */
    private static DnsResolver ipv4Only(DnsResolver dns) {
        return new ForwardingResolver(dns) {
            @Override
            public java.util.concurrent.CompletableFuture<org.sealpost.dnssec.DnsAnswer<java.net.InetAddress>> addresses(
                    String host) {
                return dns.a(host);
            }
        };
    }

    private RecipientResult deliver(TestMessage message) {
        return deliverer.deliver(message, "dane.test", message.envelope().recipients()).join().get(0);
    }

    private static TestMessage plain(String content) {
        return TestMessage.of(content, BodyType.SEVEN_BIT, false, "bob@dane.test");
    }

    @Test
    void requireTls_overDaneToAServerThatAnnouncesIt_isDelivered_andPassedOn() throws Exception {
        int port = sealpost();
        deliverer(port, tlsa311(certificate), Map.of());
        RecipientResult result = deliver(TestMessage.requiringTls(CONTENT, "bob@dane.test"));
        assertEquals(DeliveryStatus.DELIVERED, result.status(), result.diagnostic());
        assertTrue(mailbox.delivered().poll(5, TimeUnit.SECONDS).envelope().requireTls(), "REQUIRETLS not passed on");
    }

    @Test
    void requireTls_toAnUnsignedMx_bouncesWith5730_withoutConnecting() throws Exception {
        try (ScriptedServer peer = withoutRequireTls(true)) {
            FakeDns dns = new FakeDns().mx("dane.test", new org.sealpost.dnssec.MxRecord(10, "mx.dane.test"))
                    .host("mx.dane.test", "127.0.0.1");
            ClientSettings settings = TestClientSettings.toward(Map.of("*", Route.parse("dane.test:" + peer.port())));
            deliverer = loop.closeAfterTest(new SmtpDeliverer(settings, dns, new Policies(List.of(new StaticPolicy(Map.of()),
                    new DefaultLevel(TlsLevel.DANE), new DanePolicy(new DaneLookup(dns), Clock.systemUTC()))), loop.group(),
                    NioSocketChannel.class));
            RecipientResult result = deliver(TestMessage.requiringTls(CONTENT, "bob@dane.test"));
            assertEquals(DeliveryStatus.BOUNCED, result.status(), result.diagnostic());
            assertEquals("5.7.30", result.enhancedCode());
            assertEquals("REQUIRETLS support required: mx.dane.test[127.0.0.1]:" + peer.port()
                    + ": the MX records are not DNSSEC-signed and no MTA-STS policy applies", result.diagnostic());
            assertEquals(0, peer.connections.get());
        }
    }

    @Test
    void requireTls_toAVerifiedHostThatDoesNotAnnounceIt_bounces_andTheConnectionServesOtherMessages() throws Exception {
        try (ScriptedServer peer = withoutRequireTls(true)) {
            deliverer(peer.port(), tlsa311(certificate), Map.of());
            RecipientResult result = deliver(TestMessage.requiringTls(CONTENT, "bob@dane.test"));
            assertEquals(DeliveryStatus.BOUNCED, result.status(), result.diagnostic());
            assertEquals("5.7.30", result.enhancedCode());
            assertEquals("REQUIRETLS support required: mx.dane.test[127.0.0.1]:" + peer.port()
                    + ": does not announce REQUIRETLS after STARTTLS", result.diagnostic());
            assertEquals(DeliveryStatus.DELIVERED, deliver(plain(CONTENT)).status());
            assertEquals(1, peer.connections.get(), "the connection without REQUIRETLS was not kept for the next message");
        }
    }

    @Test
    void requireTls_withATlsaMismatch_defersAsAnyDaneFailure() throws Exception {
        int port = sealpost();
        deliverer(port, tlsa311(new SelfSignedCertificate("mx.dane.test")), Map.of());
        RecipientResult result = deliver(TestMessage.requiringTls(CONTENT, "bob@dane.test"));
        assertEquals(DeliveryStatus.DEFERRED, result.status(), result.diagnostic());
        assertEquals("4.7.5", result.enhancedCode());
    }

    @Test
    void requireTlsAndTlsRequiredNo_requireTlsWins() throws Exception {
        int port = sealpost();
        deliverer(port, tlsa311(new SelfSignedCertificate("mx.dane.test")), Map.of());
        RecipientResult result = deliver(TestMessage.requiringTls(NO_TLS_REQUIRED, "bob@dane.test"));
        assertEquals(DeliveryStatus.DEFERRED, result.status(), result.diagnostic());
        assertNull(mailbox.delivered().poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void tlsRequiredNo_withATlsaMismatch_isDeliveredOverUnverifiedTls_onAConnectionOfItsOwn() throws Exception {
        try (ScriptedServer peer = withoutRequireTls(true)) {
            deliverer(peer.port(), tlsa311(new SelfSignedCertificate("mx.dane.test")), Map.of());
            try (CapturedLog log = new CapturedLog(SmtpDeliverer.class)) {
                RecipientResult relaxed = deliver(plain(NO_TLS_REQUIRED));
                assertEquals(DeliveryStatus.DELIVERED, relaxed.status(), relaxed.diagnostic());
                assertTrue(log.lineWith("0000000000000001: TLS-Required: No: DANE and MTA-STS failures do not stop") != null,
                        log.lines().toString());
            }
            RecipientResult strict = deliver(plain(CONTENT));
            assertEquals(DeliveryStatus.DEFERRED, strict.status(), "the strict message rode the relaxed connection");
            assertEquals(2, peer.connections.get());
            assertEquals(1, peer.allReceived().split("Subject: ", -1).length - 1, "only the relaxed message was sent");
        }
    }

    @Test
    void tlsRequiredNo_underDaneToAHostWithoutStarttls_isDeliveredInPlaintext() throws Exception {
        try (ScriptedServer peer = withoutRequireTls(false)) {
            deliverer(peer.port(), tlsa311(certificate), Map.of());
            assertEquals(DeliveryStatus.DEFERRED, deliver(plain(CONTENT)).status());
            RecipientResult relaxed = deliver(plain(NO_TLS_REQUIRED));
            assertEquals(DeliveryStatus.DELIVERED, relaxed.status(), relaxed.diagnostic());
        }
    }

    @Test
    void tlsRequiredNo_neverRelaxesAStaticTlsPolicy() throws Exception {
        try (ScriptedServer peer = withoutRequireTls(false)) {
            deliverer(peer.port(), null, Map.of("dane.test", TlsLevel.ENCRYPT));
            RecipientResult result = deliver(plain(NO_TLS_REQUIRED));
            assertEquals(DeliveryStatus.DEFERRED, result.status(), result.diagnostic());
            assertEquals("4.7.4", result.enhancedCode());
            assertFalse(peer.allReceived().contains("Subject:"), "content sent in plaintext");
        }
    }

    @Test
    void requireTls_handedOffToTheLocalSmtpdOverLoopback_isDelivered_withoutRequireTlsWhereNotAnnounced() throws Exception {
        try (ScriptedServer peer = withoutRequireTls(false)) {
            ClientSettings settings = new ClientSettings("mx.example.test",
                    Map.of("dest.example", Route.parse("[127.0.0.1]:" + peer.port())), Duration.ofSeconds(5),
                    Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), 20, 100,
                    Duration.ofSeconds(5));
            FakeDns dns = new FakeDns();
            deliverer = loop.closeAfterTest(new SmtpDeliverer(settings, dns, new Policies(List.of(new StaticPolicy(Map.of()),
                    new DefaultLevel(TlsLevel.DANE), new DanePolicy(new DaneLookup(dns), Clock.systemUTC()))), loop.group(),
                    NioSocketChannel.class));
            TestMessage message = TestMessage.requiringTls(CONTENT, "bob@dest.example");
            RecipientResult result = deliverer.deliver(message, "dest.example", message.envelope().recipients()).join().get(0);
            assertEquals(DeliveryStatus.DELIVERED, result.status(), result.diagnostic());
            assertTrue(peer.allReceived().contains("MAIL FROM:<alice@src.example>"), peer.allReceived());
            assertFalse(peer.allReceived().contains("REQUIRETLS"), peer.allReceived());
        }
    }
}
