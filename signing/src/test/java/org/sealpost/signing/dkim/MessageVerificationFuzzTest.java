package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the whole verifier on arbitrary message octets, with an in-memory DNS serving the key
 * records of fuzz-dns.txt (RFC 6376/8463 and Stalwart examples) and a fixed clock. Properties:
 * nothing is thrown and the results future completes normally, whatever the octets; every result
 * has a verdict and a reason; and the results do not depend on how the message is cut into chunks
 * (whole, or in pieces of 1 to 16 octets). Seeds: src/test/resources/.../MessageVerificationFuzzTestInputs/message.
 */
class MessageVerificationFuzzTest {

    private static final FakeDns DNS = FakeDns.fromLines(Arrays.asList(resource("fuzz-dns.txt").split("\n")));
    private static final DkimVerifier VERIFIER = new DkimVerifier(DNS, VerifierOptions.defaults()
            .withClock(Clock.fixed(Instant.ofEpochSecond(1667843664), ZoneOffset.UTC)));

    @FuzzTest(maxDuration = "5m")
    void message(byte[] input) throws Exception {
        List<DkimResult> whole = VERIFIER.verify(input).get();
        for (DkimResult result : whole) {
            assertNotNull(result.verdict(), result::toString);
            assertNotNull(result.reason(), result::toString);
        }
        int piece = input.length == 0 ? 1 : 1 + (input[input.length - 1] & 0x0f);
        MessageVerification chunked = VERIFIER.start();
        for (int at = 0; at < input.length; at += piece) {
            chunked.update(input, at, Math.min(piece, input.length - at));
        }
        assertEquals(whole, chunked.finish().get(), "results depend on chunks of " + piece + " octets");
    }

    private static String resource(String name) {
        try (InputStream in = MessageVerificationFuzzTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
