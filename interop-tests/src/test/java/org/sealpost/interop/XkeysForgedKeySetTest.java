package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.PinningPeers;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpProxy;
import org.sealpost.keyexchange.pins.KeySet;

/**
 * client -> sealpost (sender) -> proxy serving a key set forged for its own key -> sealpost (receiver);
 * and client -> sealpost (sender) -> sealpost (receiver serving an older, validly signed set):
 * both sets are refused and the mail deferred; the pin stays as it was.
 */
class XkeysForgedKeySetTest {

    @TempDir
    Path dir;

    @Test
    void forgedSet_claimingToContinueThePin_isRefused() throws Exception {
        try (PinningPeers peers = new PinningPeers(dir)) {
            Path tls = peers.certificate("receiver");
            SealpostProcess receiver = peers.startReceiver(tls, null);
            SealpostProcess sender = peers.startSender(Map.of());
            peers.submit("bob@" + PinningPeers.DOMAIN, "honest-token");
            peers.awaitDelivered("honest-token");
            sender.awaitLine("xkeys: first contact", Duration.ofSeconds(10));
            Matcher advertised = Pattern.compile("XKEYS key set (\\S+) \\(serial (\\d+)").matcher(receiver.output());
            assertTrue(advertised.find(), receiver.output());

            // Everything an attacker can learn is public: the host, the hash and the serial.
            Path proxyTls = peers.certificate("proxy");
            Instant now = Instant.now();
            KeySet forged = KeySet.sign(PinningPeers.MX, Long.parseLong(advertised.group(2)) + 1, now.minusSeconds(60),
                    now.plus(Duration.ofDays(30)), advertised.group(1), List.of(KeySet.spkiSha256(certificate(proxyTls)
                            .getPublicKey())), List.of(), List.of(), privateKey(proxyTls));
            int hiddenPort = Loopback.freePort("127.0.0.5");
            peers.startReceiver("127.0.0.5", hiddenPort, tls, null);
            try (SmtpProxy proxy = SmtpProxy.terminateTls(PinningPeers.MX_ADDRESS, peers.mxPort,
                    new InetSocketAddress("127.0.0.5", hiddenPort), proxyTls, forged)) {
                peers.submit("bob@" + PinningPeers.DOMAIN, "forged-token");
                String deferred = sender.awaitLine("to=<bob@pin.good.test>.*status=deferred", Duration.ofSeconds(30));
                assertTrue(deferred.contains("dsn=4.7.5") && deferred.contains("new key set refused"), deferred);
                assertTrue(deferred.contains("was neither pinned nor announced as a next key"), deferred);
                assertEquals(0, proxy.messagesRelayed.get());
            }
            assertFalse(peers.delivered("forged-token"));
            String pin = peers.pins("show", PinningPeers.MX).output();
            assertTrue(pin.contains("hash " + advertised.group(1)), "the forged set replaced the pin: " + pin);
        }
    }

    @Test
    void olderValidlySignedSet_isRefusedAsAReplay() throws Exception {
        try (PinningPeers peers = new PinningPeers(dir)) {
            Path key = peers.certificate("receiver");
            Path next = peers.certificate("next");
            peers.startReceiver(key, next);
            SealpostProcess sender = peers.startSender(Map.of());
            peers.submit("bob@" + PinningPeers.DOMAIN, "first-set-token");
            peers.awaitDelivered("first-set-token");
            sender.awaitLine("xkeys: first contact", Duration.ofSeconds(10));
            Path state = dir.resolve("receiver/queue/state");
            Path record;
            try (Stream<Path> files = Files.list(state)) {
                record = files.filter(file -> file.toString().endsWith(".rec")).findFirst().orElseThrow();
            }
            byte[] firstSet = Files.readAllBytes(record);

            // The next key is withdrawn: a new set (serial 2), signed by the same key, is followed.
            peers.startReceiver(key, null);
            peers.submit("bob@" + PinningPeers.DOMAIN, "second-set-token");
            peers.awaitDelivered("second-set-token");
            sender.awaitLine("xkeys: rollover at .*serial 2", Duration.ofSeconds(10));

            // Someone holding the key serves the first set again.
            peers.stopReceiver();
            Files.write(record, firstSet);
            SealpostProcess replaying = peers.startReceiver(key, next);
            assertTrue(replaying.output().contains("(serial 1,"), replaying.output());
            peers.submit("bob@" + PinningPeers.DOMAIN, "replay-token");
            String deferred = sender.awaitLine("to=<bob@pin.good.test>.*status=deferred", Duration.ofSeconds(30));
            assertTrue(deferred.contains("dsn=4.7.5") && deferred.contains("(replay?)"), deferred);
            Thread.sleep(500);
            assertFalse(peers.delivered("replay-token"));
            assertTrue(peers.pins("list").output().contains(" serial=2 "));
        }
    }

    private static X509Certificate certificate(Path tls) throws Exception {
        try (var in = Files.newInputStream(tls.resolve("cert.pem"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey privateKey(Path tls) throws Exception {
        byte[] der = Base64.getMimeDecoder().decode(Files.readString(tls.resolve("key.pem")).replaceAll("-----[A-Z ]+-----", ""));
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }
}
