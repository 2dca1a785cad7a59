package org.sealpost.signing.dkim.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.DkimResult;
import org.sealpost.signing.dkim.DkimSigner;
import org.sealpost.signing.dkim.DkimVerifier;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.MessageVerification;
import org.sealpost.signing.dkim.SigningKey;

/**
 * Single-thread DKIM signing and verification of whole messages (relaxed/relaxed, the defaults),
 * with the key record served from memory so that DNS is not timed. {@link DigestBenchmark} gives
 * the JDK's bare SHA-256 of the same octets beside them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DkimBenchmark {

    @Param({"4096", "1048576"})
    public int size;

    @Param({"rsa2048", "ed25519"})
    public String key;

    private byte[] message;
    private byte[] signatureFields;
    private DkimSigner signer;
    private DkimVerifier verifier;

    @Setup
    public void setUp() throws Exception {
        KeyType type = key.equals("rsa2048") ? KeyType.RSA : KeyType.ED25519;
        GeneratedKey generated = DkimKeys.generate(type, 2048);
        signer = new DkimSigner(SigningKey.of("example.com", "bench", generated.privateKey()));
        verifier = new DkimVerifier(BenchMessages.dns(Map.of("bench._domainkey.example.com", generated.txtRecord())));
        message = BenchMessages.message(size);
        signatureFields = signer.sign(message).getBytes(StandardCharsets.US_ASCII);
        List<DkimResult> results = verify();
        if (results.size() != 1 || !results.get(0).passed()) {
            throw new IllegalStateException("the benchmark's own signature does not verify: " + results);
        }
    }

    @Benchmark
    public String sign() {
        return signer.sign(message);
    }

    @Benchmark
    public List<DkimResult> verify() {
        MessageVerification verification = verifier.start();
        verification.update(signatureFields);
        verification.update(message);
        return verification.finish().join();
    }
}
