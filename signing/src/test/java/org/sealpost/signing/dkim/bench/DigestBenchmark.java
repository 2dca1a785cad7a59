package org.sealpost.signing.dkim.bench;

import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The JDK's SHA-256 over the benchmark messages: the floor for a body hash without canonicalization. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DigestBenchmark {

    @Param({"4096", "1048576"})
    public int size;

    private byte[] message;
    private MessageDigest sha256;

    @Setup
    public void setUp() throws Exception {
        message = BenchMessages.message(size);
        sha256 = MessageDigest.getInstance("SHA-256");
    }

    @Benchmark
    public byte[] sha256() {
        return sha256.digest(message);
    }
}
