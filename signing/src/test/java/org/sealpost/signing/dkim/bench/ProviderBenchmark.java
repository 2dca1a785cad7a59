package org.sealpost.signing.dkim.bench;

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
import org.sealpost.signing.crypto.CryptoInUse;
import org.sealpost.signing.crypto.CryptoProviders;
import org.sealpost.signing.crypto.ProviderChoice;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.DkimResult;
import org.sealpost.signing.dkim.DkimSigner;
import org.sealpost.signing.dkim.DkimVerifier;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.MessageVerification;
import org.sealpost.signing.dkim.SigningKey;

/**
 * Single-thread DKIM signing of whole messages through DkimSigner, the relay's signer (relaxed/relaxed,
 * the default header list), with the JDK's providers and with the Amazon Corretto Crypto Provider:
 * a 4 KiB and a 100 KiB multipart message (BenchMessages.mail), RSA-2048 and Ed25519. JMH forks a JVM
 * for each parameter set, so each runs with one provider list. signing/bench/run-providers.sh puts
 * openssl speed beside it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ProviderBenchmark {

    @Param({"jdk", "accp"})
    public String provider;

    @Param({"rsa2048", "ed25519"})
    public String key;

    @Param({"4096", "102400"})
    public int size;

    private byte[] message;
    private DkimSigner signer;

    @Setup
    public void setUp() throws Exception {
        CryptoInUse inUse = CryptoProviders.install(ProviderChoice.of(provider));
        if (inUse.accp() != provider.equals("accp")) {
            throw new IllegalStateException("asked for " + provider + ", got " + inUse.startLine());
        }
        KeyType type = key.equals("rsa2048") ? KeyType.RSA : KeyType.ED25519;
        // The key as the relay has it: read from its PKCS#8 file after the providers are installed.
        GeneratedKey generated = DkimKeys.generate(type, 2048);
        signer = new DkimSigner(SigningKey.of("example.com", "bench", DkimKeys.readPrivateKey(generated.privateKeyPem())));
        message = BenchMessages.mail(size);
        // What is timed must be a signature a verifier accepts.
        DkimVerifier verifier = new DkimVerifier(BenchMessages.dns(Map.of("bench._domainkey.example.com",
                generated.txtRecord())));
        MessageVerification verification = verifier.start();
        verification.update(sign().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        verification.update(message);
        List<DkimResult> results = verification.finish().join();
        if (results.size() != 1 || !results.get(0).passed()) {
            throw new IllegalStateException("the benchmark's own signature does not verify: " + results);
        }
        System.out.println("# " + inUse.startLine() + "; " + size + " octets, " + key);
    }

    @Benchmark
    public String sign() {
        return signer.sign(message);
    }
}
