package org.sealpost.transport.smtp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sealpost.keyexchange.policy.TlsLevel;
import org.sealpost.transport.config.ConfigException;
import org.sealpost.transport.relay.OutboundPolicies;

/** PeerCheck with the relay's routes -> the IP literal of a route -> a plaintext peer; DNS does not answer. */
class PeerCheckTest {

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);

    @AfterEach
    void stop() throws Exception {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private PeerCheck.Report check(ScriptedServer peer, FakeDns dns, TlsLevel level) {
        try {
            return new PeerCheck(dns, group, NioSocketChannel.class, "check.example.test", null,
                    Map.of("dest.example", Route.parse("[127.0.0.1]:" + peer.port())),
                    OutboundPolicies.forCheck(null, level, dns, null, Clock.systemUTC())).check("dest.example", 25);
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void dane_toAnIpLiteralRoute_isOpportunisticTls_asADeliveryWouldBe() throws Exception {
        try (ScriptedServer peer = new ScriptedServer()) {
            FakeDns dns = new FakeDns();
            dns.offline = true;
            PeerCheck.Report report = check(peer, dns, TlsLevel.DANE);
            assertEquals("policy=may tls=no verified=none verdict=deliver", report.summary(), String.join("\n", report.lines()));
            assertEquals(List.of(), dns.asked, "an IP literal is never looked up in DNS");
            assertTrue(report.lines().contains("host 127.0.0.1[127.0.0.1]:" + peer.port() + ": IP literal, not looked up in DNS"),
                    String.join("\n", report.lines()));
        }
    }

    @Test
    void daneOnly_toAnIpLiteralRoute_defersWithWhatToDo() throws Exception {
        try (ScriptedServer peer = new ScriptedServer()) {
            FakeDns dns = new FakeDns();
            dns.offline = true;
            PeerCheck.Report report = check(peer, dns, TlsLevel.DANE_ONLY);
            assertFalse(report.deliver());
            assertTrue(report.lines().contains("  not used: dane-only: no DANE is possible for the IP-literal next hop [127.0.0.1]:"
                    + peer.port() + "; set tls_policy.dest.example to the level this hop should have"),
                    String.join("\n", report.lines()));
            assertEquals(0, peer.connections.get());
        }
    }
}
