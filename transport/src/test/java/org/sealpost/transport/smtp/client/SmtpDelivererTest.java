package org.sealpost.transport.smtp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sealpost.keyexchange.policy.LevelPolicies;
import org.sealpost.keyexchange.policy.PolicyChain;
import org.sealpost.keyexchange.policy.TlsLevel;
import org.sealpost.transport.cli.DemoMailbox;
import org.sealpost.transport.queue.BodyType;
import org.sealpost.transport.queue.DeliveryStatus;
import org.sealpost.transport.queue.RecipientResult;
import org.sealpost.transport.smtp.server.ListenerRole;
import org.sealpost.transport.smtp.server.ListenerSettings;
import org.sealpost.transport.smtp.server.SessionLimits;
import org.sealpost.transport.smtp.server.SmtpServer;

class SmtpDelivererTest {

    private final NioEventLoopGroup group = new NioEventLoopGroup(2);
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private ScriptedServer peer() throws Exception {
        ScriptedServer server = new ScriptedServer();
        open.add(server);
        return server;
    }

    private SmtpDeliverer deliverer(int port, TlsLevel level, int concurrency, Duration timeout) {
        ClientSettings settings = new ClientSettings("relay.example.test", Map.of("*", Route.parse("[127.0.0.1]:" + port)),
                Duration.ofSeconds(5), timeout, timeout, timeout, timeout, concurrency, 100, Duration.ofSeconds(5));
        SmtpDeliverer deliverer = new SmtpDeliverer(settings, new FakeDns(), new PolicyChain(List.of(), level, LevelPolicies.unauthenticatedOnly()), group,
                NioSocketChannel.class);
        open.add(0, deliverer::close);
        return deliverer;
    }

    private SmtpDeliverer deliverer(int port) {
        return deliverer(port, TlsLevel.MAY, 20, Duration.ofSeconds(10));
    }

    private static List<RecipientResult> deliver(SmtpDeliverer deliverer, TestMessage message) {
        return deliverer.deliver(message, "dest.example", message.envelope().recipients()).join();
    }

    @Test
    void content_isDotStuffedOnTheWire_andDelivered() throws Exception {
        ScriptedServer peer = peer();
        List<RecipientResult> results = deliver(deliverer(peer.port()),
                TestMessage.of("Subject: dots\r\n\r\n.hidden\r\n..two\r\nend", BodyType.SEVEN_BIT, false, "bob@dest.example"));
        assertEquals(DeliveryStatus.DELIVERED, results.get(0).status());
        assertEquals("250 2.0.0 Ok: queued as SCRIPTED", results.get(0).diagnostic());
        Thread.sleep(200);
        assertTrue(peer.allReceived().contains("\r\n\r\n..hidden\r\n...two\r\nend\r\n.\r\n"), peer.allReceived());
    }

    @Test
    void messagesOver64KiB_onPlaintext_areSentWhole() throws Exception {
        // The writer once waited for a writability change that had already happened during its own flush.
        ScriptedServer peer = peer();
        SmtpDeliverer deliverer = deliverer(peer.port());
        for (int size : new int[] {70_000, 200_000, 900_000}) {
            StringBuilder body = new StringBuilder("Subject: big\r\n\r\n");
            while (body.length() < size) {
                body.append("line ").append(body.length()).append(" of a message over 64 KiB\r\n");
            }
            List<RecipientResult> results = deliver(deliverer,
                    TestMessage.of(body.toString(), BodyType.SEVEN_BIT, false, "bob@dest.example"));
            assertEquals(DeliveryStatus.DELIVERED, results.get(0).status(), size + ": " + results.get(0).diagnostic());
            assertTrue(peer.allReceived().contains(body + ".\r\n"), "content of " + size + " octets arrived whole");
        }
    }

    @Test
    void pipelining_sendsMailRcptAndDataTogether() throws Exception {
        ScriptedServer peer = peer();
        peer.requirePipelining = true;
        List<RecipientResult> results = deliver(deliverer(peer.port(), TlsLevel.MAY, 20, Duration.ofSeconds(3)),
                TestMessage.of("x", BodyType.SEVEN_BIT, false, "a@dest.example", "b@dest.example"));
        assertEquals(List.of(DeliveryStatus.DELIVERED, DeliveryStatus.DELIVERED),
                results.stream().map(RecipientResult::status).toList());
    }

    @Test
    void eachRecipient_getsTheResultOfItsOwnReply() throws Exception {
        ScriptedServer peer = peer();
        peer.replies.put("RCPT TO:<FULL@", "452 4.2.2 Mailbox full");
        peer.replies.put("RCPT TO:<GONE@", "550 5.1.1 No such user");
        List<RecipientResult> results = deliver(deliverer(peer.port()),
                TestMessage.of("x", BodyType.SEVEN_BIT, false, "ok@dest.example", "full@dest.example", "gone@dest.example"));
        assertEquals(List.of(DeliveryStatus.DELIVERED, DeliveryStatus.DEFERRED, DeliveryStatus.BOUNCED),
                results.stream().map(RecipientResult::status).toList());
        assertEquals("4.2.2", results.get(1).enhancedCode());
        assertEquals("550 5.1.1 No such user", results.get(2).diagnostic());
        assertTrue(results.get(2).remoteReply());
    }

    @Test
    void eightBitMessage_toPeerWithout8bitmime_bouncesUnsent() throws Exception {
        ScriptedServer peer = peer();
        peer.keywords = List.of("PIPELINING");
        RecipientResult result = deliver(deliverer(peer.port()),
                TestMessage.of("caf\u00e9", BodyType.EIGHT_BIT_MIME, false, "bob@dest.example")).get(0);
        assertEquals(DeliveryStatus.BOUNCED, result.status());
        assertEquals("5.6.3", result.enhancedCode());
        Thread.sleep(200);
        assertFalse(peer.allReceived().contains("MAIL FROM"), peer.allReceived());
    }

    @Test
    void smtputf8Message_toPeerWithoutSmtputf8_bounces() throws Exception {
        ScriptedServer peer = peer();
        RecipientResult result = deliver(deliverer(peer.port()),
                TestMessage.of("x", BodyType.SEVEN_BIT, true, "j\u00f6rg@dest.example")).get(0);
        assertEquals(DeliveryStatus.BOUNCED, result.status());
        assertEquals("5.6.7", result.enhancedCode());
    }

    @Test
    void messageOverThePeersSize_bounces() throws Exception {
        ScriptedServer peer = peer();
        peer.keywords = List.of("SIZE 10");
        RecipientResult result = deliver(deliverer(peer.port()),
                TestMessage.of("far more than ten octets", BodyType.SEVEN_BIT, false, "bob@dest.example")).get(0);
        assertEquals(DeliveryStatus.BOUNCED, result.status());
        assertEquals("5.3.4", result.enhancedCode());
    }

    @Test
    void encrypt_withoutStarttls_defers_andSendsNothingInPlaintext() throws Exception {
        ScriptedServer peer = peer();
        RecipientResult result = deliver(deliverer(peer.port(), TlsLevel.ENCRYPT, 20, Duration.ofSeconds(5)),
                TestMessage.of("secret", BodyType.SEVEN_BIT, false, "bob@dest.example")).get(0);
        assertEquals(DeliveryStatus.DEFERRED, result.status());
        assertEquals("4.7.4", result.enhancedCode());
        Thread.sleep(200);
        assertFalse(peer.allReceived().contains("MAIL FROM"), peer.allReceived());
    }

    @Test
    void may_usesStarttlsWhenOffered() throws Exception {
        SelfSignedCertificate certificate = new SelfSignedCertificate("mx.dest.example");
        DemoMailbox mailbox = new DemoMailbox();
        SmtpServer server = new SmtpServer(new ListenerSettings("dest", ListenerRole.MX,
                new InetSocketAddress("127.0.0.1", 0), "mx.dest.example", List.of(), Set.of("dest.example"),
                SslContextBuilder.forServer(certificate.certificate(), certificate.privateKey()).build(), null,
                new SessionLimits(2048, 1000, 1 << 20, 100, Duration.ofMinutes(1), Duration.ofMinutes(5), 10)),
                mailbox, group, NioServerSocketChannel.class);
        int port = server.start().getPort();
        open.add(server::close);
        RecipientResult result = deliver(deliverer(port),
                TestMessage.of("Subject: t\r\n\r\nx", BodyType.SEVEN_BIT, false, "bob@dest.example")).get(0);
        assertEquals(DeliveryStatus.DELIVERED, result.status(), result.diagnostic());
        assertTrue(mailbox.delivered().poll(5, TimeUnit.SECONDS).envelope().client().tls().startsWith("TLSv1."));
    }

    @Test
    void severalMessages_shareOneConnection() throws Exception {
        ScriptedServer peer = peer();
        SmtpDeliverer deliverer = deliverer(peer.port());
        for (int i = 0; i < 5; i++) {
            assertEquals(DeliveryStatus.DELIVERED, deliver(deliverer,
                    TestMessage.of("m" + i, BodyType.SEVEN_BIT, false, "bob@dest.example")).get(0).status());
        }
        assertEquals(1, peer.connections.get());
    }

    @Test
    void destinationConcurrency_capsSimultaneousConnections() throws Exception {
        ScriptedServer peer = peer();
        SmtpDeliverer deliverer = deliverer(peer.port(), TlsLevel.MAY, 2, Duration.ofSeconds(10));
        List<CompletableFuture<List<RecipientResult>>> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            TestMessage message = TestMessage.of("m" + i, BodyType.SEVEN_BIT, false, "bob@dest.example");
            all.add(deliverer.deliver(message, "dest.example", message.envelope().recipients()));
        }
        for (CompletableFuture<List<RecipientResult>> one : all) {
            assertEquals(DeliveryStatus.DELIVERED, one.join().get(0).status());
        }
        assertTrue(peer.maxOpen.get() <= 2, "connections at once: " + peer.maxOpen.get());
    }

    @Test
    void silentPeer_afterTheDot_isADeferral() throws Exception {
        ScriptedServer peer = peer();
        peer.replies.put("DATA-END", "");
        RecipientResult result = deliver(deliverer(peer.port(), TlsLevel.MAY, 20, Duration.ofMillis(800)),
                TestMessage.of("x", BodyType.SEVEN_BIT, false, "bob@dest.example")).get(0);
        assertEquals(DeliveryStatus.DEFERRED, result.status());
        assertTrue(result.diagnostic().contains("timed out"), result.diagnostic());
    }

    @Test
    void lostReplyAfterTheDot_defers_withoutOfferingTheMessageToTheNextHost() throws Exception {
        ScriptedServer peer = peer();
        peer.replies.put("DATA-END", "");
        FakeDns dns = new FakeDns().mx("dest.example", new org.sealpost.dnssec.MxRecord(10, "mx1.dest.example"),
                new org.sealpost.dnssec.MxRecord(20, "mx2.dest.example"));
        dns.host("mx1.dest.example", "127.0.0.1").host("mx2.dest.example", "127.0.0.1");
        Duration timeout = Duration.ofMillis(800);
        ClientSettings settings = new ClientSettings("relay.example.test",
                Map.of("*", Route.parse("dest.example:" + peer.port())), Duration.ofSeconds(5), timeout, timeout, timeout,
                timeout, 20, 100, Duration.ofSeconds(5));
        SmtpDeliverer deliverer = new SmtpDeliverer(settings, dns, new PolicyChain(List.of(), TlsLevel.MAY,
                LevelPolicies.unauthenticatedOnly()), group, NioSocketChannel.class);
        open.add(0, deliverer::close);
        RecipientResult result = deliver(deliverer, TestMessage.of("x", BodyType.SEVEN_BIT, false, "bob@dest.example")).get(0);
        assertEquals(DeliveryStatus.DEFERRED, result.status());
        Thread.sleep(200);
        assertEquals(1, peer.allReceived().split("MAIL FROM", -1).length - 1, peer.allReceived());
    }

    @Test
    void peerGreetingAsOurselves_isALoop_andNothingIsSent() throws Exception {
        ScriptedServer peer = peer();
        peer.replies.put("EHLO", "250 relay.example.test");
        RecipientResult result = deliver(deliverer(peer.port()),
                TestMessage.of("x", BodyType.SEVEN_BIT, false, "bob@dest.example")).get(0);
        assertEquals(DeliveryStatus.DEFERRED, result.status());
        assertTrue(result.diagnostic().contains("loops back to myself"), result.diagnostic());
    }

    @Test
    void refusedConnection_defersWith441() throws Exception {
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        RecipientResult result = deliver(deliverer(closedPort),
                TestMessage.of("x", BodyType.SEVEN_BIT, false, "bob@dest.example")).get(0);
        assertEquals(DeliveryStatus.DEFERRED, result.status());
        assertEquals("4.4.1", result.enhancedCode());
    }
}
