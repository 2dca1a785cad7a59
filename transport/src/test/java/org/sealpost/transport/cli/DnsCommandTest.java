package org.sealpost.transport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.dnssec.lab.KnotLab;
import picocli.CommandLine;

/** sealpost dns lookup -> knotd with zones signed for this run. */
class DnsCommandTest {

    @TempDir
    static Path dir;

    private static KnotLab lab;

    @BeforeAll
    static void startLab() throws Exception {
        lab = KnotLab.start(dir);
    }

    @AfterAll
    static void stopLab() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    private record Run(int status, String out) {
    }

    private static Run lookup(String type, String name) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int status = new CommandLine(new Main()).execute("dns", "lookup", type, name, "--resolver",
                    "127.0.0.1:" + lab.address.getPort(), "--trust-anchor", lab.trustAnchors.toString());
            return new Run(status, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void signedRecord_isPrintedWithSecureStatus_exit0() {
        Run run = lookup("TLSA", "_25._tcp.mx.good.test");
        assertEquals(0, run.status(), run.out());
        assertTrue(run.out().contains("_25._tcp.mx.good.test TLSA 3 1 1 " + KnotLab.TLSA_DATA), run.out());
        assertTrue(run.out().contains("; security=SECURE outcome=FOUND ttl=3600"), run.out());
    }

    @Test
    void tamperedRecord_isBogusWithTheReason_exit1() {
        Run run = lookup("MX", "bogus.test");
        assertEquals(1, run.status(), run.out());
        assertTrue(run.out().contains("; security=BOGUS outcome=SERVFAIL"), run.out());
        assertTrue(run.out().contains("reason=MX bogus.test: "), run.out());
    }

    @Test
    void unknownType_isAUsageError() {
        assertEquals(2, lookup("SRV", "good.test").status());
    }
}
