package org.sealpost.transport.smtp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.net.InetSocketAddress;
import java.time.Clock;
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

/** SmtpDeliverer at level dane -> MX and TLSA from a DNSSEC-signed zone in memory -> SmtpServer over STARTTLS. */
class DaneDeliveryTest {

    @RegisterExtension
    final TestLoop loop = new TestLoop(2);

    private final DemoMailbox mailbox = new DemoMailbox();
    private SmtpDeliverer deliverer;

    /** Starts the destination. */
    private InetSocketAddress destination(SelfSignedCertificate certificate) throws Exception {
        SmtpServer server = new SmtpServer(DaneTestDomain.mxListener(certificate, Set.of("dane.test")), mailbox,
                loop.group(), NioServerSocketChannel.class);
        loop.closeAfterTest(server::close);
        return server.start();
    }

    private static String tlsa311(SelfSignedCertificate certificate) throws Exception {
        return DaneTestDomain.spkiSha256(certificate);
    }

    private RecipientResult deliverWith(int port, String tlsaData) throws Exception {
        DnsResolver dns = DaneTestDomain.signed(port, "3 1 1 " + tlsaData);
        DanePolicy dane = new DanePolicy(new DaneLookup(dns), Clock.systemUTC());
        ClientSettings settings = TestClientSettings.toward(Map.of("*", Route.parse("dane.test:" + port)));
        deliverer = loop.closeAfterTest(new SmtpDeliverer(settings, dns, new Policies(List.of(new DefaultLevel(TlsLevel.DANE),
                dane)), loop.group(), NioSocketChannel.class));
        TestMessage message = TestMessage.of("Subject: dane\r\n\r\nx", BodyType.SEVEN_BIT, false, "bob@dane.test");
        return deliverer.deliver(message, "dane.test", message.envelope().recipients()).join().get(0);
    }

    /** The README's hand-off: route.dest.example = [127.0.0.1]:PORT, on a machine whose DNS does not answer. */
    private RecipientResult deliverToIpLiteral(TlsLevel level, Map<String, TlsLevel> staticPolicies, FakeDns dns,
            int port) {
        DanePolicy dane = new DanePolicy(new DaneLookup(dns), Clock.systemUTC());
        ClientSettings settings = TestClientSettings.toward(Map.of("dest.example", Route.parse("[127.0.0.1]:" + port)));
        deliverer = loop.closeAfterTest(new SmtpDeliverer(settings, dns, new Policies(List.of(
                new StaticPolicy(staticPolicies), new DefaultLevel(level), dane)), loop.group(), NioSocketChannel.class));
        TestMessage message = TestMessage.of("Subject: literal\r\n\r\nx", BodyType.SEVEN_BIT, false, "bob@dest.example");
        return deliverer.deliver(message, "dest.example", message.envelope().recipients()).join().get(0);
    }

    @Test
    void dane_toAnIpLiteralRoute_fallsToMay_withoutAskingDns() throws Exception {
        try (ScriptedServer peer = new ScriptedServer()) {
            FakeDns dns = new FakeDns();
            dns.offline = true;
            RecipientResult result = deliverToIpLiteral(TlsLevel.DANE, Map.of(), dns, peer.port());
            assertEquals(DeliveryStatus.DELIVERED, result.status(), result.diagnostic());
            assertEquals(List.of(), dns.asked, "an IP literal is never looked up in DNS");
        }
    }

    @Test
    void daneOnly_toAnIpLiteralRoute_defersWithWhatToDo_andSendsNothing() throws Exception {
        try (ScriptedServer peer = new ScriptedServer()) {
            FakeDns dns = new FakeDns();
            dns.offline = true;
            RecipientResult result = deliverToIpLiteral(TlsLevel.DANE_ONLY, Map.of(), dns, peer.port());
            assertEquals(DeliveryStatus.DEFERRED, result.status());
            assertEquals("4.7.5", result.enhancedCode());
            assertEquals("dane-only: no DANE is possible for the IP-literal next hop [127.0.0.1]:" + peer.port()
                    + "; set tls_policy.dest.example to the level this hop should have", result.diagnostic());
            assertEquals(List.of(), dns.asked);
            assertEquals(0, peer.connections.get(), "no connection where the policy cannot be met");
        }
    }

    @Test
    void daneOnly_withAStaticPolicyForTheIpLiteralsDestination_deliversAtThatLevel() throws Exception {
        try (ScriptedServer peer = new ScriptedServer()) {
            FakeDns dns = new FakeDns();
            dns.offline = true;
            RecipientResult result = deliverToIpLiteral(TlsLevel.DANE_ONLY, Map.of("dest.example", TlsLevel.MAY), dns,
                    peer.port());
            assertEquals(DeliveryStatus.DELIVERED, result.status(), result.diagnostic());
        }
    }

    @Test
    void matchingTlsa_deliversOverVerifiedTls() throws Exception {
        SelfSignedCertificate certificate = new SelfSignedCertificate("mx.dane.test");
        int port = destination(certificate).getPort();
        RecipientResult result = deliverWith(port, tlsa311(certificate));
        assertEquals(DeliveryStatus.DELIVERED, result.status(), result.diagnostic());
        assertTrue(mailbox.delivered().poll(5, TimeUnit.SECONDS).envelope().client().tls().startsWith("TLSv1."));
    }

    @Test
    void keyThatDoesNotMatchTheTlsa_defersWith475_andSendsNothing() throws Exception {
        SelfSignedCertificate certificate = new SelfSignedCertificate("mx.dane.test");
        int port = destination(certificate).getPort();
        RecipientResult result = deliverWith(port, tlsa311(new SelfSignedCertificate("mx.dane.test")));
        assertEquals(DeliveryStatus.DEFERRED, result.status());
        assertEquals("4.7.5", result.enhancedCode());
        assertTrue(result.diagnostic().contains("dane"), result.diagnostic());
        assertNull(mailbox.delivered().poll(500, TimeUnit.MILLISECONDS), "a message went to an unverified peer");
    }

    @Test
    void keyThatDoesNotMatchTheTlsa_isLoggedWithTheTlsReached_andTheFailedCheck() throws Exception {
        SelfSignedCertificate certificate = new SelfSignedCertificate("mx.dane.test");
        int port = destination(certificate).getPort();
        try (CapturedLog log = new CapturedLog(SmtpDeliverer.class)) {
            deliverWith(port, tlsa311(new SelfSignedCertificate("mx.dane.test")));
            String deferred = log.lineWith("status=deferred");
            assertTrue(deferred != null && deferred.matches(".*, tls=TLSv1\\.[23] \\S+( X25519\\S*)? \\(dane failed\\), dsn=4\\.7\\.5, .*"),
                    String.valueOf(log.lines()));
        }
    }
}
