package org.sealpost.transport.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim2.Dkim2Envelope;
import org.sealpost.signing.dkim2.Dkim2Keys;
import org.sealpost.signing.dkim2.Dkim2Result;
import org.sealpost.signing.dkim2.Dkim2SignOptions;
import org.sealpost.signing.dkim2.Dkim2Signer;
import org.sealpost.signing.dkim2.Dkim2Verdict;
import org.sealpost.signing.dkim2.Dkim2Verifier;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.config.ConfigException;
import org.sealpost.transport.dkim.StaticTxt;
import org.sealpost.transport.metrics.Metrics;

/**
 * dkim2_mldsa_key, read at start by {@link Dkim#of}: the domain's DKIM2 signer gets an ML-DSA-44
 * sig-set beside its DKIM key's, and a file that holds no ML-DSA-44 key stops the start saying so.
 */
class DkimMlDsaTest {

    private static final byte[] MESSAGE = ("From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: pq\r\n"
            + "\r\nSigned twice, once for each kind of verifier.\r\n").getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private GeneratedKey ed25519;
    private KeyPair mlDsa;

    @BeforeEach
    void keys() throws Exception {
        ed25519 = DkimKeys.generate(KeyType.ED25519, 0);
        mlDsa = Dkim2Keys.generateMlDsa44();
        Files.writeString(dir.resolve("ed.pem"), ed25519.privateKeyPem());
        Files.writeString(dir.resolve("pq.pem"), DkimKeys.pemOf(mlDsa.getPrivate()));
    }

    private Dkim wired(String mlDsaFile) throws ConfigException {
        Config config = Config.parse(dir.resolve("sealpost.conf"), List.of("listeners = s", "listener.s.role = submission",
                "listener.s.address = 127.0.0.1:10025", "dkim_key.example.org = s1:ed.pem", "dkim2_sign = example.org",
                "dkim2_mldsa_key.example.org = pq:" + mlDsaFile));
        return Dkim.of(config, null, Runnable::run, Metrics.none());
    }

    @Test
    void mlDsaKey_addsASecondSigSet_andTheSignatureVerifiesWithBoth() throws Exception {
        Dkim2Signer signer = wired("pq.pem").dkim2Signers().get("example.org");
        Dkim2Envelope envelope = Dkim2Envelope.of("alice@example.org", "bob@example.net");
        String fields = signer.sign(MESSAGE, Dkim2SignOptions.forEnvelope(envelope));
        byte[] signed = (fields + new String(MESSAGE, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);

        StaticTxt dns = new StaticTxt(Map.of("s1._domainkey.example.org", ed25519.txtRecord(),
                "pq._domainkey.example.org", Dkim2Keys.mlDsa44Record(mlDsa.getPublic())));
        Dkim2Result result = new Dkim2Verifier(dns).verify(signed, envelope).join();
        assertEquals(Dkim2Verdict.PASS, result.verdict(), result.reason());
        List<Dkim2Result.SigSetResult> sets = result.hops().get(0).sigSets();
        assertEquals(List.of("s1:ed25519-sha256:PASS", "pq:mldsa44:PASS"), sets.stream()
                .map(s -> s.selector() + ":" + s.algorithm() + ":" + s.verdict()).toList());

        // Another ML-DSA-44 key under pq fails the signature though the Ed25519 sig-set passes: every sig-set
        // of a known algorithm is checked (-06 11.6).
        StaticTxt otherMlDsa = new StaticTxt(Map.of("s1._domainkey.example.org", ed25519.txtRecord(),
                "pq._domainkey.example.org", Dkim2Keys.mlDsa44Record(Dkim2Keys.generateMlDsa44().getPublic())));
        Dkim2Result other = new Dkim2Verifier(otherMlDsa).verify(signed, envelope).join();
        assertEquals(Dkim2Verdict.FAIL, other.verdict());
        assertTrue(other.reason().endsWith("s1 signature passed, pq signature failed"), other.reason());
    }

    @Test
    void missingMlDsaKeyFile_saysSoAndWhatToCheck() {
        ConfigException e = assertThrows(ConfigException.class, () -> wired("missing.pem"));
        assertEquals("dkim2_mldsa_key.example.org " + dir.resolve("missing.pem")
                + ": no such file; check dkim2_mldsa_key.example.org", e.getMessage());
    }

    @Test
    void aClassicalKeyAsTheMlDsaKey_saysWhatItIs_andWhatWasExpected() {
        ConfigException e = assertThrows(ConfigException.class, () -> wired("ed.pem"));
        assertEquals("dkim2_mldsa_key.example.org: " + dir.resolve("ed.pem") + ": not an ML-DSA-44 private key (an "
                + "Ed25519 key, not ML-DSA-44); expected the PEM key that 'sealpost dkim keygen --algorithm mldsa44' "
                + "writes", e.getMessage());
    }
}
