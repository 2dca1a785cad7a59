package org.sealpost.transport.smtp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sealpost.keyexchange.policy.DefaultLevel;
import org.sealpost.keyexchange.policy.Policies;
import org.sealpost.keyexchange.policy.TlsLevel;

class RecipientProbeTest {

    private static final RecipientProbe.Settings SETTINGS = new RecipientProbe.Settings(Duration.ofDays(1),
            Duration.ofMinutes(10), Duration.ofSeconds(5), 1000);

    @RegisterExtension
    final TestLoop loop = new TestLoop(1);

    @Test
    void refusedRecipient_isRefusedWithTheNextHopsReply_andRemembered() throws Exception {
        ScriptedServer peer = peer();
        peer.replies.put("RCPT TO:<BOB@", "550 5.1.1 <bob@dest.example>: Recipient address rejected: User unknown");
        RecipientProbe probe = probe(peer.port());
        Optional<String> answer = probe.check("bob@dest.example", "dest.example").join();
        assertEquals(Optional.of("550 5.1.1 <bob@dest.example>: Recipient address rejected: undeliverable address: host "
                + "127.0.0.1[127.0.0.1] said: 550 5.1.1 <bob@dest.example>: Recipient address rejected: User unknown "
                + "(in reply to RCPT TO command)"), answer);
        assertEquals(answer, probe.check("BOB@dest.example", "dest.example").join(), "the cached answer");
        assertEquals(1, peer.allReceived().split("RCPT TO:", -1).length - 1, "probed once: " + peer.allReceived());
        assertTrue(peer.allReceived().contains("MAIL FROM:<>\r\nRCPT TO:<bob@dest.example>\r\nRSET\r\n"),
                peer.allReceived());
    }

    @Test
    void acceptedRecipient_isAccepted_andRemembered() throws Exception {
        ScriptedServer peer = peer();
        RecipientProbe probe = probe(peer.port());
        assertEquals(Optional.empty(), probe.check("alice@dest.example", "dest.example").join());
        assertEquals(Optional.empty(), probe.check("alice@dest.example", "dest.example").join());
        assertEquals(1, peer.allReceived().split("RCPT TO:", -1).length - 1, peer.allReceived());
    }

    @Test
    void temporaryAnswer_defers_andIsAskedAgainNextTime() throws Exception {
        ScriptedServer peer = peer();
        peer.replies.put("RCPT TO:<CAROL@", "451 4.3.0 <carol@dest.example>: Temporary lookup failure");
        RecipientProbe probe = probe(peer.port());
        String answer = probe.check("carol@dest.example", "dest.example").join().orElseThrow();
        assertTrue(answer.startsWith("450 4.1.1 <carol@dest.example>: Recipient address rejected: unverified address: "
                + "host 127.0.0.1[127.0.0.1] said: 451 4.3.0"), answer);
        probe.check("carol@dest.example", "dest.example").join();
        assertEquals(2, peer.allReceived().split("RCPT TO:", -1).length - 1, "not cached: " + peer.allReceived());
    }

    @Test
    void nextHopDown_defers_neverAccepts() throws Exception {
        ScriptedServer peer = peer();
        int port = peer.port();
        peer.close();
        String answer = probe(port).check("dave@dest.example", "dest.example").join().orElseThrow();
        assertTrue(answer.startsWith("450 4.4.1 <dave@dest.example>: Recipient address rejected: unverified address: "),
                answer);
        assertTrue(answer.contains("Connection refused"), answer);
    }

    @Test
    void silentNextHop_defersWithinTheTimeout() throws Exception {
        ScriptedServer peer = peer();
        peer.replies.put("RCPT TO:", "");
        RecipientProbe probe = probe(peer.port(), new RecipientProbe.Settings(Duration.ofDays(1), Duration.ofMinutes(10),
                Duration.ofMillis(300), 1000));
        assertEquals(Optional.of("450 4.1.1 <erin@dest.example>: Recipient address rejected: unverified address: "
                + "Address verification in progress"), probe.check("erin@dest.example", "dest.example").join());
    }

    private ScriptedServer peer() throws Exception {
        ScriptedServer server = new ScriptedServer();
        loop.closeAfterTest(server);
        return server;
    }

    private RecipientProbe probe(int port) {
        return probe(port, SETTINGS);
    }

    private RecipientProbe probe(int port, RecipientProbe.Settings settings) {
        ClientSettings client = TestClientSettings.toward(Map.of("dest.example", Route.parse("[127.0.0.1]:" + port)));
        SmtpDeliverer deliverer = loop.closeAfterTest(new SmtpDeliverer(client, new FakeDns(),
                new Policies(List.of(new DefaultLevel(TlsLevel.MAY))), loop.group(), NioSocketChannel.class));
        return deliverer.recipientProbe(settings);
    }
}
