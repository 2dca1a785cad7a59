package org.sealpost.signing.dkim.bench;

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
import org.sealpost.signing.dkim.BodyHash;
import org.sealpost.signing.dkim.Canonicalization;

/**
 * The relaxed body hash alone of ProviderBenchmark's mails (the body after the empty line, in one
 * piece): the canonicalizer's runs into SHA-256 of the JDK's providers or of ACCP. What
 * ProviderBenchmark spends beyond the signature and this is the header side.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BodyHashBenchmark {

    @Param({"jdk", "accp"})
    public String provider;

    @Param({"4096", "102400"})
    public int size;

    private byte[] message;
    private int body;

    @Setup
    public void setUp() throws Exception {
        if (CryptoProviders.install(ProviderChoice.of(provider)).accp() != provider.equals("accp")) {
            throw new IllegalStateException("ACCP does not load here: " + CryptoProviders.loadingError());
        }
        message = BenchMessages.mail(size);
        for (body = 4; !(message[body - 4] == '\r' && message[body - 3] == '\n' && message[body - 2] == '\r'
                && message[body - 1] == '\n'); body++) {
            // the body starts after the empty line
        }
    }

    @Benchmark
    public BodyHash.Result relaxedBody() {
        BodyHash hash = new BodyHash(Canonicalization.RELAXED, "SHA-256", -1);
        hash.update(message, body, message.length - body);
        return hash.finish();
    }
}
