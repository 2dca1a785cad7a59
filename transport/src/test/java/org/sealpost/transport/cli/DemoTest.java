package org.sealpost.transport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `sealpost demo`, the README's main job: two messages signed, delivered, verified, and the key pinned. */
class DemoTest {

    @Test
    void demo_signsDelivers_andPinsTheDestinationsAdvertisedKeySet() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            status = new CommandLine(new Main()).execute("demo");
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, out);
        Matcher advertised = Pattern.compile("XKEYS (\\S+), DKIM verification").matcher(out);
        assertTrue(advertised.find(), out);
        assertTrue(out.contains("== the relay pinned mx.demo.test's key set " + advertised.group(1) + " (serial 1)"), out);
        assertTrue(out.contains("checks [spf=pass"), out);
        assertTrue(out.contains("dmarc=pass (p=reject dis=none) header.from=src.demo.test]"), out);
        assertTrue(out.contains("   Authentication-Results: mx.demo.test;"), out);
        // Per message: in the recorded results and in the Authentication-Results field.
        assertEquals(4, out.split("dkim=pass header.d=src.demo.test header.s=demo header.a=ed25519-sha256", -1).length - 1,
                out);
        assertTrue(out.contains("(key SECURE), arc=none"), out);
    }
}
