package org.sealpost.signing.dkim.bench;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.DkimResult;
import org.sealpost.signing.dkim.DkimSigner;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.MessageSigning;
import org.sealpost.signing.dkim.MessageVerification;
import org.sealpost.signing.dkim.DkimVerifier;
import org.sealpost.signing.dkim.SigningKey;

/**
 * Signs, then verifies, a generated 50 MiB message fed in 64 KiB chunks, printing the used heap
 * after a GC every 5 MiB of the verification. Run it with a heap smaller than the message
 * (signing/bench/run-heap.sh uses -Xmx64m); with the argument "hold" it also keeps every chunk, as
 * a verifier that buffered the message would, and runs out of memory under the same limit.
 */
public final class StreamingHeap {

    private static final int CHUNK = 64 * 1024;
    private static final long BODY = 50L * 1024 * 1024;
    private static final long SAMPLE_EVERY = 5L * 1024 * 1024;

    private StreamingHeap() {
    }

    public static void main(String[] args) throws Exception {
        boolean hold = args.length > 0 && args[0].equals("hold");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.out.printf("max heap %.1f MiB, message %d MiB in %d KiB chunks%s%n",
                memory.getHeapMemoryUsage().getMax() / 1048576.0, BODY >> 20, CHUNK >> 10,
                hold ? ", every chunk kept (control)" : "");
        GeneratedKey rsa = DkimKeys.generate(KeyType.RSA, 2048);
        GeneratedKey ed = DkimKeys.generate(KeyType.ED25519, 0);
        DkimSigner signer = new DkimSigner(List.of(SigningKey.of("example.com", "rsa", rsa.privateKey()),
                SigningKey.of("example.com", "ed", ed.privateKey())), org.sealpost.signing.dkim.SignerOptions.defaults());
        MessageSigning signing = signer.start();
        signing.update(BenchMessages.HEADER);
        feed(signing::update, null, null);
        byte[] fields = signing.finish().getBytes(StandardCharsets.US_ASCII);

        DkimVerifier verifier = new DkimVerifier(BenchMessages.dns(Map.of("rsa._domainkey.example.com", rsa.txtRecord(),
                "ed._domainkey.example.com", ed.txtRecord())));
        MessageVerification verification = verifier.start();
        verification.update(fields);
        verification.update(BenchMessages.HEADER);
        System.gc();
        System.out.printf("%8s  %s%n", "fed MiB", "used heap after GC (MiB)");
        System.out.printf("%8d  %.2f%n", 0, memory.getHeapMemoryUsage().getUsed() / 1048576.0);
        long[] maxUsed = {0};
        feed(verification::update, memory, hold ? new ByteArrayOutputStream() : null, maxUsed);
        List<DkimResult> results = verification.finish().join();
        System.out.printf("largest sample %.2f MiB; results: %s%n", maxUsed[0] / 1048576.0,
                results.stream().map(DkimResult::toAuthenticationResults).toList());
        if (results.size() != 2 || !results.stream().allMatch(DkimResult::passed)) {
            System.exit(1);
        }
    }

    private interface Sink {
        void update(byte[] data);
    }

    private static void feed(Sink sink, MemoryMXBean memory, ByteArrayOutputStream held) {
        feed(sink, memory, held, new long[1]);
    }

    /** The body in chunks; with {@code memory}, a heap sample after each 5 MiB. */
    private static void feed(Sink sink, MemoryMXBean memory, ByteArrayOutputStream held, long[] maxUsed) {
        Random random = new Random(50);
        for (long at = 0; at < BODY; at += CHUNK) {
            byte[] chunk = new byte[(int) Math.min(CHUNK, BODY - at)];
            BenchMessages.fillBody(chunk, 0, chunk.length, random, at);
            sink.update(chunk);
            if (held != null) {
                held.writeBytes(chunk);
            }
            long fed = at + chunk.length;
            if (memory != null && fed % SAMPLE_EVERY == 0) {
                System.gc();
                long used = memory.getHeapMemoryUsage().getUsed();
                maxUsed[0] = Math.max(maxUsed[0], used);
                System.out.printf("%8d  %.2f%n", fed >> 20, used / 1048576.0);
            }
        }
    }
}
