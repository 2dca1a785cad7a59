package org.sealpost.signing.dkim.bench;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.sealpost.signing.crypto.CryptoProviders;
import org.sealpost.signing.crypto.ProviderChoice;

/**
 * The signature alone, with the JDK's providers or ACCP, as DKIM uses it, on 600 octets of header data (the size of a signed
 * header section with its DKIM-Signature field): SHA256withRSA, or Ed25519 over the data's SHA-256
 * (RFC 8463 3). What DkimBenchmark adds on top of this is Sealpost's own work.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CryptoBenchmark {

    @Param({"rsa2048", "ed25519"})
    public String key;

    /** crypto_provider for this fork: jdk or accp (CryptoProviders). */
    @Param({"jdk", "accp"})
    public String provider;

    private final byte[] data = new byte[600];
    private KeyPair pair;
    private String algorithm;
    private byte[] signature;

    @Setup
    public void setUp() throws Exception {
        if (CryptoProviders.install(ProviderChoice.of(provider)).accp() != provider.equals("accp")) {
            throw new IllegalStateException("ACCP does not load here: " + CryptoProviders.loadingError());
        }
        new Random(8463).nextBytes(data);
        boolean rsa = key.equals("rsa2048");
        KeyPairGenerator generator = KeyPairGenerator.getInstance(rsa ? "RSA" : "Ed25519");
        if (rsa) {
            generator.initialize(2048);
        }
        pair = generator.generateKeyPair();
        algorithm = rsa ? "SHA256withRSA" : "Ed25519";
        signature = sign();
    }

    private byte[] input() throws Exception {
        return algorithm.equals("Ed25519") ? MessageDigest.getInstance("SHA-256").digest(data) : data;
    }

    @Benchmark
    public byte[] sign() throws Exception {
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(pair.getPrivate());
        signer.update(input());
        return signer.sign();
    }

    @Benchmark
    public boolean verify() throws Exception {
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(pair.getPublic());
        verifier.update(input());
        return verifier.verify(signature);
    }
}
