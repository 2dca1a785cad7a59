package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * simple-java-mail's 32 messages, all with l= (shared/vectors/dkim/simple-java-mail). The sha256 ones
 * pass; the rsa-sha1 ones fail with the RFC 8301 reason by default and pass in legacy mode.
 */
class SimpleJavaMailVectorsTest {

    static Stream<Path> messages() {
        return Stream.of("sha1_relaxed", "sha1_simple", "sha256_relaxed", "sha256_simple")
                .flatMap(dir -> Vectors.list("simple-java-mail/" + dir, "*.txt").stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void signedWithBodyLength_passesUnlessSha1(Path file) throws Exception {
        Path set = Vectors.set("simple-java-mail");
        FakeDns dns = FakeDns.fromLines(Files.readAllLines(set.resolve("dns.txt")));
        byte[] message = Vectors.crlf(Vectors.read(file));
        boolean sha1 = file.getParent().getFileName().toString().startsWith("sha1");

        List<DkimResult> strict = Vectors.verify(new DkimVerifier(dns, VerifierOptions.defaults().withClock(Vectors.NOW)),
                message);
        assertEquals(1, strict.size());
        if (sha1) {
            assertEquals(Verdict.PERMERROR, strict.get(0).verdict());
            assertTrue(strict.get(0).reason().contains("RFC 8301"), strict.get(0)::reason);
        } else {
            assertEquals(Verdict.PASS, strict.get(0).verdict(), strict.get(0)::toString);
        }
        List<DkimResult> legacy = Vectors.verify(new DkimVerifier(dns,
                VerifierOptions.defaults().withClock(Vectors.NOW).withLegacy(true)), message);
        assertEquals(Verdict.PASS, legacy.get(0).verdict(), legacy.get(0)::toString);
    }
}
