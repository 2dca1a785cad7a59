package org.sealpost.signing.arc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the whole ARC validator on arbitrary message octets, with the keys of the chain fixtures in
 * an in-memory DNS and a fixed clock. Properties: nothing is thrown and the future completes normally;
 * the result has a status, and a reason unless it passed with none; and the result does not depend
 * on how the message is cut into chunks (whole, or pieces of 1 to 16 octets). Seeds: the chain
 * fixtures, in src/test/resources/.../arc/ArcVerificationFuzzTestInputs/message.
 */
class ArcVerificationFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void message(byte[] input) throws Exception {
        ArcResult whole = ChainFixtures.VERIFIER.verify(input).get();
        assertNotNull(whole.status());
        if (whole.status() == ArcStatus.FAIL) {
            assertFalse(whole.reason().isEmpty(), "a failure without a reason");
        }
        int piece = input.length == 0 ? 1 : 1 + (input[input.length - 1] & 0x0f);
        ArcVerification chunked = ChainFixtures.VERIFIER.start();
        for (int at = 0; at < input.length; at += piece) {
            chunked.update(input, at, Math.min(piece, input.length - at));
        }
        assertEquals(whole, chunked.finish().get(), "the result depends on how the message is cut");
    }
}
