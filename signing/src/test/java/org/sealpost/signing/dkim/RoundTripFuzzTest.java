package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

/**
 * Fuzzes our signer against our verifier on arbitrary message octets, with the RFC 8032 7.1 test
 * Ed25519 key (so that seeds and findings replay) and the canonicalization picked by the input's
 * length. Property: the signer either refuses the message with "cannot sign" (no From field, header
 * too large) or writes a signature that our verifier passes on the message as signed. Seeds:
 * src/test/resources/.../RoundTripFuzzTestInputs/signAndVerify.
 */
class RoundTripFuzzTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1667843664), ZoneOffset.UTC);
    private static final SigningKey KEY;
    private static final DkimVerifier VERIFIER;

    static {
        try {
            KEY = SigningKey.of("example.com", "fuzz", DkimKeys.ed25519FromSeed(Base64.getDecoder()
                    .decode("nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=")));
            FakeDns dns = new FakeDns().txt("fuzz._domainkey.example.com",
                    DkimKeys.txtRecord(KeyType.ED25519, DkimKeys.publicKey(KEY.privateKey())));
            VERIFIER = new DkimVerifier(dns, VerifierOptions.defaults().withClock(CLOCK));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void signAndVerify(byte[] message) throws Exception {
        Canonicalization header = Canonicalization.values()[message.length % 2];
        Canonicalization body = Canonicalization.values()[message.length / 2 % 2];
        DkimSigner signer = new DkimSigner(List.of(KEY), SignerOptions.defaults().withCanonicalization(header, body)
                .withClock(CLOCK));
        String fields;
        try {
            fields = signer.sign(message);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith("cannot sign"), e::toString);
            return;
        }
        byte[] signed = Signed.join(fields, message);
        List<DkimResult> results = VERIFIER.verify(signed).get();
        assertEquals(Verdict.PASS, results.get(0).verdict(), () -> "c=" + header.tag() + "/" + body.tag() + " "
                + results.get(0) + "\n" + new String(signed, StandardCharsets.ISO_8859_1));
    }
}
