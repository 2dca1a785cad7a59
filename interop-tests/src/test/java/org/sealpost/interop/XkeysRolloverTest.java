package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.PinningPeers;
import org.sealpost.interop.support.SealpostProcess;

/**
 * client -> sealpost (sender) -> STARTTLS + XKEYS -> sealpost (receiver, keys rolled) -> smtp-sink:
 * a key announced as tls_next_cert_file is followed without a failure; a key nobody announced is
 * deferred under enforce and delivered with a warning under testing.
 */
class XkeysRolloverTest {

    @TempDir
    Path dir;

    @Test
    void announcedRollover_isFollowed_unannouncedKey_isDeferredUnderEnforce_andDeliveredUnderTesting() throws Exception {
        try (PinningPeers peers = new PinningPeers(dir)) {
            Path first = peers.certificate("first");
            Path second = peers.folder("second");
            SealpostProcess receiver = peers.startReceiver(first, second);
            // pin.good.test under the global enforce; pintest.good.test, same MX host, under testing.
            SealpostProcess sender = peers.startSender(Map.of("xkeys_pins." + PinningPeers.OTHER_DOMAIN, "testing"));
            peers.submit("bob@" + PinningPeers.DOMAIN, "before-rollover");
            peers.awaitDelivered("before-rollover");
            sender.awaitLine("xkeys: first contact with " + PinningPeers.MX + ".*next \\[\\]", Duration.ofSeconds(10));

            // The operator makes the next key; the running receiver announces it within ten seconds.
            PinningPeers.CommandResult made = peers.onReceiver("tls", "next-key");
            assertEquals(0, made.status(), made.output());
            assertTrue(made.output().contains("; next key"), made.output());
            receiver.awaitLine("XKEYS: next key announced", Duration.ofSeconds(30));
            peers.submit("bob@" + PinningPeers.DOMAIN, "announced-token");
            peers.awaitDelivered("announced-token");
            String announced = sender.awaitLine("xkeys: rollover at " + PinningPeers.MX, Duration.ofSeconds(10));
            assertTrue(announced.contains("serial 2") && !announced.contains("next []"), announced);

            // Then switches to it.
            receiver = peers.startReceiver(second, null);
            assertEquals(0, receiver.count("was not announced"), receiver.output());
            peers.submit("bob@" + PinningPeers.DOMAIN, "after-announced-rollover");
            peers.awaitDelivered("after-announced-rollover");
            String rolled = sender.awaitLine("xkeys: rollover at .*serial 3", Duration.ofSeconds(10));
            assertTrue(rolled.contains("serial 3"), rolled);
            sender.awaitLine("to=<bob@pin.good.test>.*\\(xkeys\\).*status=sent", Duration.ofSeconds(10));
            assertEquals(0, sender.count("status=deferred"), sender.output());

            // A key nobody announced: the receiver itself warns its operator at start.
            receiver = peers.startReceiver(peers.certificate("unannounced"), null);
            receiver.awaitLine("was not announced in the previous key set", Duration.ofSeconds(5));
            peers.submit("bob@" + PinningPeers.DOMAIN, "enforced-token");
            String deferred = sender.awaitLine("to=<bob@pin.good.test>.*status=deferred", Duration.ofSeconds(30));
            assertTrue(deferred.contains("dsn=4.7.5"), deferred);
            assertTrue(deferred.contains("(xkeys)") && deferred.contains("neither pinned nor announced"), deferred);
            sender.awaitLine("xkeys: refused " + PinningPeers.MX + ".*\\(pins enforce\\)", Duration.ofSeconds(5));

            peers.submit("carol@" + PinningPeers.OTHER_DOMAIN, "testing-token");
            peers.awaitDelivered("testing-token");
            sender.awaitLine("xkeys: violation at " + PinningPeers.MX + ".*delivering anyway \\(pins testing\\)",
                    Duration.ofSeconds(5));
            sender.awaitLine("to=<carol@pintest.good.test>.*status=sent", Duration.ofSeconds(10));
            Thread.sleep(500);
            assertFalse(peers.delivered("enforced-token"), "the enforced message reached an unpinned key");
            PinningPeers.CommandResult show = peers.pins("show", PinningPeers.MX);
            assertTrue(show.output().contains("serial 3\n"), "the pin followed the unannounced key: " + show.output());

            peers.startSender(Map.of()); // stops the first run, which writes its counters
            String counters = peers.pins("stats").output();
            assertTrue(counters.contains("first_contact=1 ") && counters.contains("rollover=2 ")
                    && counters.contains("violation=2 "), counters);
        }
    }
}
