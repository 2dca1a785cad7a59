package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Stalwart mail-auth's messages (shared/vectors/dkim/stalwart): DNS lines, a blank line, the
 * message. Every signature passes; 005.txt carries x= and is checked at its own time.
 */
class StalwartVectorsTest {

    static Stream<Path> messages() {
        return Vectors.list("stalwart", "0*.txt").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void stalwartMessage_everySignaturePasses(Path file) {
        String text = Vectors.text(file).replace("\r\n", "\n");
        int split = text.indexOf("\n\n");
        FakeDns dns = FakeDns.fromLines(Arrays.asList(text.substring(0, split).split("\n")));
        byte[] message = Vectors.crlf(text.substring(split + 2));
        List<DkimResult> results = Vectors.verify(new DkimVerifier(dns, VerifierOptions.defaults().withClock(clock(file))),
                message);
        assertFalse(results.isEmpty());
        for (DkimResult result : results) {
            assertEquals(Verdict.PASS, result.verdict(), result::toString);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void stalwartMessage_withOneBodyOctetChanged_fails(Path file) {
        String text = Vectors.text(file).replace("\r\n", "\n");
        int split = text.indexOf("\n\n");
        FakeDns dns = FakeDns.fromLines(Arrays.asList(text.substring(0, split).split("\n")));
        String message = text.substring(split + 2);
        int body = message.indexOf("\n\n") + 2;
        int at = message.indexOf('e', body);
        String changed = message.substring(0, at) + 'E' + message.substring(at + 1);
        for (DkimResult result : Vectors.verify(new DkimVerifier(dns, VerifierOptions.defaults().withClock(clock(file))),
                Vectors.crlf(changed))) {
            assertEquals(Verdict.FAIL, result.verdict(), result::toString);
        }
    }

    /** 005.txt has x= a day after its t=: it is checked at its signing time, the others now. */
    private static Clock clock(Path file) {
        return file.getFileName().toString().equals("005.txt")
                ? Clock.fixed(Instant.ofEpochSecond(1667843664), ZoneOffset.UTC) : Vectors.NOW;
    }
}
