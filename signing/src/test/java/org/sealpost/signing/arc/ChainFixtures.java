package org.sealpost.signing.arc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.sealpost.signing.dkim.FakeDns;
import org.sealpost.signing.dkim.VerifierOptions;

/** The sealed messages under src/test/resources/.../arc/chains, with the keys that sealed them and the time they were sealed. */
final class ChainFixtures {

    static final Instant SEALED = Instant.ofEpochSecond(1796160225);
    static final FakeDns DNS = FakeDns.fromLines(Arrays.asList(text("keys.txt").split("\n")));
    static final ArcVerifier VERIFIER = new ArcVerifier(DNS, VerifierOptions.defaults()
            .withClock(Clock.fixed(SEALED.plusSeconds(60), ZoneOffset.UTC)));

    private ChainFixtures() {
    }

    static byte[] message(String name) {
        return bytes(name + ".eml");
    }

    private static String text(String name) {
        return new String(bytes(name), StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String name) {
        try (InputStream in = ChainFixtures.class.getResourceAsStream("chains/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture src/test/resources/org/sealpost/signing/arc/chains/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
