package org.sealpost.transport.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.cache.DurableStore;
import org.sealpost.keyexchange.pins.KeySet;
import org.sealpost.transport.cli.Main;
import picocli.CommandLine;

class ServerKeySetTest {

    @TempDir
    Path dir;

    private void keygen(String name) {
        new CommandLine(new Main()).execute("tls", "keygen", "--name", "mx.example.test", "--key-out",
                dir.resolve(name + "-key.pem").toString(), "--cert-out", dir.resolve(name + "-cert.pem").toString());
    }

    private KeySet load(Optional<Path> next, Instant now) throws Exception {
        return running(next, Clock.fixed(now, ZoneOffset.UTC)).get();
    }

    private ServerKeySet running(Optional<Path> next, Clock clock) throws Exception {
        return ServerKeySet.load("mx.example.test", dir.resolve("now-cert.pem"), dir.resolve("now-key.pem"), next,
                Duration.ofDays(30), new DurableStore(dir.resolve("state")), clock);
    }

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private X509Certificate certificate(String name) throws Exception {
        try (InputStream in = Files.newInputStream(dir.resolve(name + "-cert.pem"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void sameKeys_keepTheSameSetAndHashAcrossRestarts() throws Exception {
        keygen("now");
        Instant start = Instant.parse("2026-11-22T00:00:00Z");
        KeySet first = load(Optional.empty(), start);
        KeySet again = load(Optional.empty(), start.plus(Duration.ofDays(3)));
        assertEquals(first.hash(), again.hash());
        assertTrue(first.signedBy(certificate("now").getPublicKey()));
    }

    @Test
    void announcedNextKey_makesANewSetLinkedToTheOld() throws Exception {
        keygen("now");
        keygen("next");
        Instant start = Instant.parse("2026-11-22T00:00:00Z");
        KeySet first = load(Optional.empty(), start);
        KeySet second = load(Optional.of(dir.resolve("next-cert.pem")), start.plus(Duration.ofDays(1)));
        assertNotEquals(first.hash(), second.hash());
        assertEquals(first.serial() + 1, second.serial());
        assertEquals(first.hash(), second.previous());
        assertEquals(KeySet.spkiSha256(certificate("next").getPublicKey()), second.nextKeys().get(0));
    }

    @Test
    void halfwayThroughItsLifetime_theSetIsRenewed() throws Exception {
        keygen("now");
        Instant start = Instant.parse("2026-11-22T00:00:00Z");
        KeySet first = load(Optional.empty(), start);
        KeySet renewed = load(Optional.empty(), start.plus(Duration.ofDays(16)));
        assertEquals(first.serial() + 1, renewed.serial());
        assertTrue(renewed.notAfter().isAfter(first.notAfter()));
    }

    @Test
    void aRunningRelay_renewsItsSetHalfwayThrough_withTheKeysItStartedWith() throws Exception {
        keygen("now");
        MovingClock clock = new MovingClock(Instant.parse("2026-11-22T00:00:00Z"));
        ServerKeySet keys = running(Optional.empty(), clock);
        KeySet first = keys.get();
        clock.now = clock.now.plus(Duration.ofDays(14));
        keys.renewIfDue();
        assertEquals(first, keys.get(), "renewed before half the lifetime");
        // The key files change on disk while the relay runs: the set keeps the keys it presents.
        Files.move(dir.resolve("now-key.pem"), dir.resolve("old-key.pem"));
        Files.move(dir.resolve("now-cert.pem"), dir.resolve("old-cert.pem"));
        keygen("now");
        clock.now = clock.now.plus(Duration.ofDays(2));
        keys.renewIfDue();
        KeySet renewed = keys.get();
        assertEquals(first.serial() + 1, renewed.serial());
        assertEquals(first.hash(), renewed.previous());
        assertEquals(first.tlsKeys(), renewed.tlsKeys());
        assertTrue(renewed.signedBy(certificate("old").getPublicKey()));
        assertArrayEquals(renewed.encode(), new DurableStore(dir.resolve("state")).get(ServerKeySet.RECORD).orElseThrow(),
                "the renewed set is what the next start continues from");
    }

    @Test
    void aNextCertificateWrittenWhileTheRelayRuns_isAnnouncedAtTheNextCheck() throws Exception {
        keygen("now");
        MovingClock clock = new MovingClock(Instant.parse("2026-11-22T00:00:00Z"));
        ServerKeySet keys = running(Optional.of(dir.resolve("next-cert.pem")), clock);
        KeySet first = keys.get();
        assertTrue(first.nextKeys().isEmpty(), "announced a file that is not there");
        keygen("next");
        clock.now = clock.now.plusSeconds(60);
        keys.renewIfDue();
        assertEquals(first.serial() + 1, keys.get().serial());
        assertEquals(List.of(KeySet.spkiSha256(certificate("next").getPublicKey())), keys.get().nextKeys());
        assertEquals(first.tlsKeys(), keys.get().tlsKeys());
    }
}
