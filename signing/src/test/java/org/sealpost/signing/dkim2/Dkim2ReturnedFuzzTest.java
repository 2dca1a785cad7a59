package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Set;
import org.sealpost.signing.dkim.FakeDns;

/**
 * Fuzzes {@link Dkim2Returned} on any report octets: it always comes to an outcome (no exception),
 * the same whether the report comes whole or in pieces of 1 to 16 octets, with a reason. Keys are
 * those of the croessner/dkim2 vectors' domains, so that well-formed seeds reach the signature
 * check. Seeds: src/test/resources/.../dkim2/Dkim2ReturnedFuzzTestInputs/report; signing/fuzz/run-fuzz.sh fuzzes.
 */
class Dkim2ReturnedFuzzTest {

    private static final FakeDns DNS = new FakeDns()
            .txt("sel._domainkey.local.example", "v=DKIM1; k=ed25519; p=KXb+S+thhiwrcL9lJnzc05/XsvrJi8v7Ajye9BoRrHI=");

    @FuzzTest(maxDuration = "5m")
    void report(byte[] input) {
        Dkim2Returned.Outcome whole = outcome(input, input.length);
        assertNotNull(whole.verdict());
        assertNotNull(whole.reason());
        assertEquals(whole, outcome(input, 1 + (input.length == 0 ? 0 : (input[0] & 0x0f))), "chunking changed the outcome");
    }

    private static Dkim2Returned.Outcome outcome(byte[] report, int piece) {
        Dkim2Returned returned = new Dkim2Returned(64 * 1024);
        for (int i = 0; i < report.length; i += Math.max(1, piece)) {
            returned.update(report, i, Math.min(Math.max(1, piece), report.length - i));
        }
        return returned.finish(DNS, Set.of("local.example"), "destination.example").join();
    }
}
