package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.HexFormat;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.FakeDns;
import org.sealpost.signing.dkim.KeyType;

/**
 * Fuzzes the whole DKIM2 verifier on arbitrary message octets, with the RFC 8032 7.1 test Ed25519
 * key published for hop1.example to hop3.example in an in-memory DNS, a fixed clock and a fixed
 * envelope (the newest hop of a two-hop path). Properties: nothing is thrown and the future
 * completes normally; the result has a verdict and a reason, and a hop list that matches the
 * DKIM2-Signature fields when the chain could be read; and the result does not depend on how the
 * message is cut into chunks. Seeds (signed chains): src/test/resources/.../Dkim2VerificationFuzzTestInputs/message.
 */
class Dkim2VerificationFuzzTest {

    static final PrivateKey KEY;
    static final FakeDns DNS = new FakeDns();
    static final Dkim2Envelope ENVELOPE = Hops.envelope(2, 2);
    private static final Dkim2Verifier VERIFIER = new Dkim2Verifier(DNS, Dkim2VerifierOptions.defaults().withClock(Hops.CLOCK));

    static {
        try {
            KEY = DkimKeys.ed25519FromSeed(HexFormat.of().parseHex(
                    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
            String record = DkimKeys.txtRecord(KeyType.ED25519, DkimKeys.publicKey(KEY));
            for (int hop = 1; hop <= 3; hop++) {
                DNS.txt("ed._domainkey." + Hops.domain(hop), record);
            }
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void message(byte[] input) throws Exception {
        Dkim2Result whole = VERIFIER.verify(input, ENVELOPE).get();
        assertNotNull(whole.verdict());
        assertNotNull(whole.reason());
        assertEquals(whole.instances().size(), whole.instances().stream().filter(i -> i != null).count());
        int piece = input.length == 0 ? 1 : 1 + (input[input.length - 1] & 0x0f);
        Dkim2Verification chunked = VERIFIER.start(ENVELOPE);
        for (int at = 0; at < input.length; at += piece) {
            chunked.update(input, at, Math.min(piece, input.length - at));
        }
        assertEquals(whole, chunked.finish().get(), "the result depends on chunks of " + piece + " octets");
    }
}
