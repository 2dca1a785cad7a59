package org.sealpost.transport.relay;

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
        return ServerKeySet.load("mx.example.test", dir.resolve("now-cert.pem"), dir.resolve("now-key.pem"), next,
                Duration.ofDays(30), new DurableStore(dir.resolve("state")), Clock.fixed(now, ZoneOffset.UTC));
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
}
