package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.PinningPeers;
import org.sealpost.interop.support.SealpostProcess;

/**
 * client -> sealpost (sender) -> MX by knotd -> STARTTLS + XKEYS -> sealpost (receiver) -> smtp-sink:
 * the first delivery pins the receiver's key set, later ones fetch nothing while its hash stays
 * the same, and the pin survives a restart of the sender until `sealpost pins forget`.
 */
class XkeysFirstContactTest {

    private static final String FETCH = "xkeys: key set .* sent to";

    @TempDir
    Path dir;

    @Test
    void firstContact_pins_laterDeliveriesFetchNothing_andThePinSurvivesARestart() throws Exception {
        try (PinningPeers peers = new PinningPeers(dir)) {
            SealpostProcess receiver = peers.startReceiver(peers.certificate("current"), null);
            SealpostProcess sender = peers.startSender(Map.of());

            peers.submit("bob@" + PinningPeers.DOMAIN, "first-contact-token");
            peers.awaitDelivered("first-contact-token");
            String pinned = sender.awaitLine("xkeys: first contact with " + PinningPeers.MX + ":" + peers.mxPort,
                    Duration.ofSeconds(10));
            assertTrue(pinned.contains("serial 1"), pinned);
            assertEquals(1, receiver.count(FETCH));

            for (int i = 0; i < 3; i++) {
                peers.submit("bob@" + PinningPeers.DOMAIN, "hash-hit-token-" + i);
                peers.awaitDelivered("hash-hit-token-" + i);
            }
            // Every later delivery is checked against the pin (tls=... (xkeys)) without a fetch.
            assertEquals(3, sender.awaitCount("to=<bob@pin.good.test>.*\\(xkeys\\).*status=sent", 3, Duration.ofSeconds(10)),
                    sender.output());
            assertEquals(1, receiver.count(FETCH), "the receiver served its key set more than once");

            PinningPeers.CommandResult list = peers.pins("list");
            assertEquals(0, list.status(), list.output());
            assertTrue(list.output().startsWith(PinningPeers.MX + ":" + peers.mxPort + " serial=1 "), list.output());

            SealpostProcess restarted = peers.startSender(Map.of());
            peers.submit("bob@" + PinningPeers.DOMAIN, "after-restart-token");
            peers.awaitDelivered("after-restart-token");
            restarted.awaitLine("to=<bob@pin.good.test>.*\\(xkeys\\).*status=sent", Duration.ofSeconds(10));
            assertEquals(0, restarted.count("xkeys: first contact"), restarted.output());
            assertEquals(1, receiver.count(FETCH), "the restarted sender fetched the key set again");

            PinningPeers.CommandResult show = peers.pins("show", PinningPeers.MX);
            assertEquals(0, show.status(), show.output());
            assertTrue(show.output().contains("host " + PinningPeers.MX + "\n"), show.output());
            assertTrue(show.output().contains("tls-key spki-sha256 "), show.output());

            PinningPeers.CommandResult forget = peers.pins("forget", PinningPeers.MX);
            assertEquals(0, forget.status(), forget.output());
            assertEquals(1, peers.pins("show", PinningPeers.MX).status());
            // The running sender drops the forgotten pin from its memory within a minute; a new
            // process meets the receiver as a first contact at once.
            SealpostProcess fresh = peers.startSender(Map.of());
            peers.submit("bob@" + PinningPeers.DOMAIN, "after-forget-token");
            peers.awaitDelivered("after-forget-token");
            fresh.awaitLine("xkeys: first contact with " + PinningPeers.MX, Duration.ofSeconds(10));
            assertEquals(2, receiver.count(FETCH));
        }
    }
}
