package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.PinningPeers;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpProxy;

/**
 * client -> sealpost (sender) -> proxy on the MX address (TLS terminated with its own key, or
 * STARTTLS removed) -> sealpost (receiver, moved to 127.0.0.5): after the first contact, both
 * men in the middle are caught and the mail is deferred under enforce, with nothing relayed.
 */
class XkeysManInTheMiddleTest {

    private static final String HIDDEN = "127.0.0.5";

    @TempDir
    Path dir;

    @Test
    void tlsTerminatingProxy_andStarttlsStripper_areDeferred() throws Exception {
        try (PinningPeers peers = new PinningPeers(dir)) {
            Path tls = peers.certificate("receiver");
            peers.startReceiver(tls, null);
            SealpostProcess sender = peers.startSender(Map.of());
            peers.submit("bob@" + PinningPeers.DOMAIN, "honest-token");
            peers.awaitDelivered("honest-token");
            sender.awaitLine("xkeys: first contact", Duration.ofSeconds(10));

            // The receiver moves; the proxy takes the address the MX record names.
            int hiddenPort = Loopback.freePort(HIDDEN);
            peers.startReceiver(HIDDEN, hiddenPort, tls, null);
            InetSocketAddress receiver = new InetSocketAddress(HIDDEN, hiddenPort);

            try (SmtpProxy proxy = SmtpProxy.terminateTls(PinningPeers.MX_ADDRESS, peers.mxPort, receiver,
                    peers.certificate("proxy"), null)) {
                peers.submit("bob@" + PinningPeers.DOMAIN, "intercepted-token");
                String deferred = sender.awaitLine("to=<bob@pin.good.test>.*status=deferred", Duration.ofSeconds(30));
                assertTrue(deferred.contains("dsn=4.7.5"), deferred);
                assertTrue(deferred.contains("neither pinned nor announced"), deferred);
                assertTrue(proxy.sessions.get() >= 1, "the sender never reached the proxy");
                assertEquals(0, proxy.messagesRelayed.get());
            }

            try (SmtpProxy proxy = SmtpProxy.stripStarttls(PinningPeers.MX_ADDRESS, peers.mxPort, receiver)) {
                peers.submit("dave@" + PinningPeers.DOMAIN, "stripped-token");
                String deferred = sender.awaitLine("to=<dave@pin.good.test>.*status=deferred", Duration.ofSeconds(30));
                assertTrue(deferred.contains("dsn=4.7.4"), deferred);
                assertTrue(deferred.contains("the pinned host offered no STARTTLS"), deferred);
                assertTrue(proxy.sessions.get() >= 1, "the sender never reached the proxy");
                assertEquals(0, proxy.messagesRelayed.get());
            }
            Thread.sleep(500);
            assertFalse(peers.delivered("intercepted-token") || peers.delivered("stripped-token"),
                    "a message went through a man in the middle");
        }
    }
}
