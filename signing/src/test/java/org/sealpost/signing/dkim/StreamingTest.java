package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A 50 MiB body in 64 KiB chunks, signed and verified while streaming: the verifier's retained state
 * (header buffer, hash buffers) stays the same size from the first chunk to the last, including
 * through 10 MiB of trailing blank lines and whitespace that are counted, not stored.
 */
class StreamingTest {

    private static final int CHUNK = 64 * 1024;
    private static final long BODY = 50L * 1024 * 1024;
    private static final byte[] HEADER = ("From: big@example.com\r\nTo: you@example.net\r\nSubject: large\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    /** The body, chunk by chunk: text lines for 40 MiB, then blank and whitespace-only lines. */
    private static byte[] chunk(long offset, Random random) {
        byte[] chunk = new byte[(int) Math.min(CHUNK, BODY - offset)];
        for (int i = 0; i < chunk.length; i++) {
            long at = offset + i;
            if (at >= 40L * 1024 * 1024) {
                chunk[i] = (byte) (at % 4 == 0 ? ' ' : at % 4 == 1 ? '\t' : at % 4 == 2 ? '\r' : '\n');
            } else {
                chunk[i] = at % 78 == 76 ? (byte) '\r' : at % 78 == 77 ? (byte) '\n' : (byte) (' ' + random.nextInt(95));
            }
        }
        return chunk;
    }

    @Test
    void fiftyMebibyteBody_verifiesWithBoundedRetainedState() throws Exception {
        for (Canonicalization c : Canonicalization.values()) {
            SignerOptions options = SignerOptions.defaults().withCanonicalization(c, c);
            MessageSigning signing = new DkimSigner(List.of(Keys.rsa(), Keys.ed25519()), options).start();
            signing.update(HEADER);
            Random random = new Random(42);
            for (long offset = 0; offset < BODY; offset += CHUNK) {
                signing.update(chunk(offset, random));
            }
            byte[] signature = signing.finish().getBytes(StandardCharsets.US_ASCII);

            MessageVerification verification = new DkimVerifier(Keys.dns()).start();
            verification.update(signature);
            verification.update(HEADER);
            random = new Random(42);
            long baseline = -1;
            for (long offset = 0; offset < BODY; offset += CHUNK) {
                verification.update(chunk(offset, random));
                long retained = verification.retainedBytes();
                if (baseline < 0) {
                    baseline = retained;
                    assertTrue(baseline < 64 * 1024, "retained after the header: " + baseline);
                }
                assertEquals(baseline, retained, "retained state grew at offset " + offset);
            }
            List<DkimResult> results = verification.finish().get();
            assertEquals(List.of(Verdict.PASS, Verdict.PASS), results.stream().map(DkimResult::verdict).toList(),
                    c + ": " + results);
        }
    }

    @Test
    void millionsOfPendingBlankLines_areOnlyACount() {
        long[] written = {0};
        BodyCanonicalizer canonicalizer = Canonicalization.RELAXED.body((data, offset, length) -> written[0] += length);
        byte[] blank = " \r\n\t\r\n\r\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 100; i++) {
            canonicalizer.update(blank, 0, blank.length);
        }
        assertEquals(3_000_000, canonicalizer.pendingEmptyLines());
        assertEquals(0, written[0]);
        canonicalizer.update(new byte[] {'x'}, 0, 1);
        canonicalizer.finish();
        assertEquals(3_000_000L * 2 + 3, written[0]);
    }
}
