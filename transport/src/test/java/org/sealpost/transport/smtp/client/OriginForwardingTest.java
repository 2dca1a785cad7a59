package org.sealpost.transport.smtp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sealpost.keyexchange.policy.DefaultLevel;
import org.sealpost.keyexchange.policy.Policies;
import org.sealpost.keyexchange.policy.TlsLevel;
import org.sealpost.transport.queue.BodyType;
import org.sealpost.transport.queue.DeliveryStatus;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.queue.Recipient;

class OriginForwardingTest {

    private static final Envelope.ClientInfo ORIGIN = new Envelope.ClientInfo("192.0.2.7", "mail.sender=example+x",
            "ESMTPS", "TLSv1.3 X", "", "mx", 41234, "");
    private static final Set<String> ALL = Set.of("NAME", "ADDR", "PORT", "PROTO", "HELO", "IDENT", "SOURCE");

    @RegisterExtension
    final TestLoop loop = new TestLoop(1);

    @Test
    void xtext_encodesPlusEqualsSpaceAndNonAscii() {
        assertEquals("a+2Bb+3Dc+20d+C3+A9", OriginForwarding.xtext("a+b=c d\u00e9"));
        assertEquals("[UNAVAILABLE]", OriginForwarding.xtext("[UNAVAILABLE]"));
    }

    @Test
    void xclient_sendsOnlyOfferedAttributes_withUnknownNameAndEsmtp() {
        assertEquals(List.of("NAME=[UNAVAILABLE]", "ADDR=192.0.2.7", "PORT=41234", "PROTO=ESMTP",
                "HELO=mail.sender+3Dexample+2Bx"), OriginForwarding.xclient(ORIGIN, ALL));
        assertEquals(List.of("ADDR=192.0.2.7", "HELO=mail.sender+3Dexample+2Bx"),
                OriginForwarding.xclient(ORIGIN, Set.of("ADDR", "HELO", "LOGIN")));
    }

    @Test
    void xclient_ipv6Address_carriesThePrefix() {
        Envelope.ClientInfo v6 = new Envelope.ClientInfo("2001:db8::7", "h", "SMTP", "", "", "mx", 25, "h.example");
        assertEquals(List.of("NAME=h.example", "ADDR=IPV6:2001:db8:0:0:0:0:0:7", "PORT=25", "PROTO=SMTP", "HELO=h"),
                OriginForwarding.xclient(v6, ALL));
    }

    @Test
    void xforward_isTwoCommandsAsPostfixSendsThem() {
        assertEquals(List.of("XFORWARD NAME=[UNAVAILABLE] ADDR=192.0.2.7 PORT=41234",
                "XFORWARD PROTO=ESMTP HELO=mail.sender+3Dexample+2Bx IDENT=0000000000000001 SOURCE=REMOTE"),
                OriginForwarding.xforward(ORIGIN, "0000000000000001", ALL));
    }

    @Test
    void temporarilyUnknownName_isTempunavailForXclient_unavailableForXforward() {
        Envelope.ClientInfo temporary = new Envelope.ClientInfo("192.0.2.7", "h", "ESMTP", "", "", "mx", 25,
                "[TEMPUNAVAIL]");
        assertEquals("NAME=[TEMPUNAVAIL]", OriginForwarding.xclient(temporary, ALL).get(0));
        assertTrue(OriginForwarding.xforward(temporary, "Q", ALL).get(0).startsWith("XFORWARD NAME=[UNAVAILABLE] "));
    }

    @Test
    void routedNextHopOfferingXclient_getsXclientThenEhloAgain_andTheConnectionIsNotReused() throws Exception {
        ScriptedServer peer = peer(List.of("PIPELINING", "XCLIENT NAME ADDR PORT PROTO HELO LOGIN"));
        peer.replies.put("XCLIENT", "220 peer.example.test ESMTP after XCLIENT");
        SmtpDeliverer deliverer = deliverer(peer.port(), "dest.example");
        for (int i = 0; i < 2; i++) {
            assertEquals(DeliveryStatus.DELIVERED, deliverer.deliver(fromMx("m" + i), "dest.example",
                    List.of(Recipient.of("bob@dest.example"))).join().get(0).status());
        }
        String wire = peer.allReceived();
        assertTrue(wire.contains("XCLIENT NAME=[UNAVAILABLE] ADDR=192.0.2.7 PORT=41234 PROTO=ESMTP "
                + "HELO=mail.sender+3Dexample+2Bx\r\nEHLO mail.sender=example+x\r\nMAIL FROM:"), wire);
        assertEquals(2, peer.connections.get(), "a session that became the original client's carries one message");
    }

    @Test
    void routedNextHopOfferingXforward_getsXforwardBeforeEachMail_onOneConnection() throws Exception {
        ScriptedServer peer = peer(List.of("XFORWARD NAME ADDR PROTO HELO SOURCE"));
        SmtpDeliverer deliverer = deliverer(peer.port(), "dest.example");
        for (int i = 0; i < 2; i++) {
            assertEquals(DeliveryStatus.DELIVERED, deliverer.deliver(fromMx("m" + i), "dest.example",
                    List.of(Recipient.of("bob@dest.example"))).join().get(0).status());
        }
        String wire = peer.allReceived();
        assertEquals(2, wire.split("XFORWARD NAME=\\[UNAVAILABLE\\] ADDR=192.0.2.7\r\nXFORWARD PROTO=ESMTP "
                + "HELO=mail.sender\\+3Dexample\\+2Bx SOURCE=REMOTE\r\nMAIL FROM:", -1).length - 1, wire);
        assertEquals(1, peer.connections.get());
    }

    @Test
    void foreignHop_withoutRouteOfItsOwn_isNeverToldTheClient() throws Exception {
        ScriptedServer peer = peer(List.of("XCLIENT NAME ADDR PORT PROTO HELO", "XFORWARD NAME ADDR PROTO HELO"));
        SmtpDeliverer deliverer = deliverer(peer.port(), "*");
        assertEquals(DeliveryStatus.DELIVERED, deliverer.deliver(fromMx("m"), "dest.example",
                List.of(Recipient.of("bob@dest.example"))).join().get(0).status());
        assertFalse(peer.allReceived().contains("XCLIENT") || peer.allReceived().contains("XFORWARD"), peer.allReceived());
    }

    @Test
    void submissionMail_isNeverForwarded() throws Exception {
        ScriptedServer peer = peer(List.of("XCLIENT NAME ADDR PORT PROTO HELO"));
        SmtpDeliverer deliverer = deliverer(peer.port(), "dest.example");
        TestMessage submitted = TestMessage.of("Subject: s\r\n\r\nx\r\n", BodyType.SEVEN_BIT, false, "bob@dest.example");
        assertEquals(DeliveryStatus.DELIVERED, deliverer.deliver(submitted, "dest.example",
                submitted.envelope().recipients()).join().get(0).status());
        assertFalse(peer.allReceived().contains("XCLIENT"), peer.allReceived());
    }

    @Test
    void refusedXclient_deliversWithoutIt() throws Exception {
        ScriptedServer peer = peer(List.of("XCLIENT NAME ADDR PORT PROTO HELO"));
        peer.replies.put("XCLIENT", "550 5.7.0 Error: insufficient authorization");
        SmtpDeliverer deliverer = deliverer(peer.port(), "dest.example");
        assertEquals(DeliveryStatus.DELIVERED, deliverer.deliver(fromMx("m"), "dest.example",
                List.of(Recipient.of("bob@dest.example"))).join().get(0).status());
    }

    private ScriptedServer peer(List<String> keywords) throws Exception {
        ScriptedServer server = new ScriptedServer();
        server.keywords = keywords;
        loop.closeAfterTest(server);
        return server;
    }

    private SmtpDeliverer deliverer(int port, String routeKey) {
        ClientSettings settings = TestClientSettings.toward(Map.of(routeKey, Route.parse("[127.0.0.1]:" + port)));
        SmtpDeliverer deliverer = loop.closeAfterTest(new SmtpDeliverer(settings, new FakeDns(),
                new Policies(List.of(new DefaultLevel(TlsLevel.MAY))), loop.group(), NioSocketChannel.class));
        return deliverer;
    }

    private static TestMessage fromMx(String subject) {
        Envelope envelope = new Envelope("alice@sender.example", List.of(Recipient.of("bob@dest.example")),
                BodyType.SEVEN_BIT, false, "", "", ORIGIN, Instant.now());
        return new TestMessage("0000000000000001", envelope,
                ("Subject: " + subject + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8));
    }
}
