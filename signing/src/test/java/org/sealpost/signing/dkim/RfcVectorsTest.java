package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RFC examples (shared/vectors/dkim/rfc): RFC 8463 A.3 passes twice; RFC 6376 A.2 as printed fails. */
class RfcVectorsTest {

    @Test
    void rfc8463AppendixA3_ed25519AndRsaSignatures_bothPass() throws Exception {
        Path set = Vectors.set("rfc");
        FakeDns dns = FakeDns.fromLines(Files.readAllLines(set.resolve("rfc8463-A2.dns.txt")));
        List<DkimResult> results = Vectors.verify(new DkimVerifier(dns, VerifierOptions.defaults().withClock(Vectors.NOW)),
                Vectors.crlf(Vectors.read(set.resolve("rfc8463-A3-signed.eml"))));
        assertEquals(2, results.size());
        assertEquals("dkim=pass header.d=football.example.com header.s=brisbane header.a=ed25519-sha256"
                + " header.b=\"/gCrinpc\" (key INSECURE)", results.get(0).toAuthenticationResults());
        assertEquals(Verdict.PASS, results.get(1).verdict(), results.get(1)::toString);
        assertEquals("rsa-sha256", results.get(1).algorithm());
    }

    @Test
    void rfc6376AppendixA2_asPrinted_failsItsBodyHash() throws Exception {
        Path set = Vectors.set("rfc");
        FakeDns dns = FakeDns.fromLines(Files.readAllLines(set.resolve("rfc6376-C-brisbane.dns.txt")));
        List<DkimResult> results = Vectors.verify(new DkimVerifier(dns, VerifierOptions.defaults().withClock(Vectors.NOW)),
                Vectors.crlf(Vectors.read(set.resolve("rfc6376-A2-signed.eml"))));
        assertEquals(1, results.size());
        assertEquals(Verdict.FAIL, results.get(0).verdict());
        assertTrue(results.get(0).reason().contains("body hash"), results.get(0)::reason);
    }

    @Test
    void rfc8463Seed_signsWithThePublishedKey() throws Exception {
        Path set = Vectors.set("rfc");
        SigningKey key = SigningKey.fromPem("football.example.com", "brisbane",
                Files.readString(set.resolve("rfc8463-ed25519-brisbane.seed.b64")));
        byte[] message = Vectors.crlf(Vectors.read(set.resolve("rfc8463-A3-signed.eml")));
        String unsigned = new String(message, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replaceFirst("(?s)^.*?(?=From: )", "");
        byte[] bytes = unsigned.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        String signature = new DkimSigner(key).sign(bytes);
        FakeDns dns = FakeDns.fromLines(Files.readAllLines(set.resolve("rfc8463-A2.dns.txt")));
        List<DkimResult> results = Vectors.verify(new DkimVerifier(dns), Signed.join(signature, bytes));
        assertEquals(Verdict.PASS, results.get(0).verdict(), results.get(0)::toString);
    }
}
