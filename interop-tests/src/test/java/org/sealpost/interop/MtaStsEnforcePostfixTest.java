package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.MtaStsDestination;

/**
 * swaks -> sealpost (MTA-STS enforce: _mta-sts TXT from knotd via unbound, policy from WireMock
 * over HTTPS) -> STARTTLS, chain verified for the MX name -> postfix smtpd on 127.0.0.3 -> smtp-sink.
 */
class MtaStsEnforcePostfixTest {

    @TempDir
    Path dir;

    @Test
    void enforce_aMessageOfRealSize_isDeliveredOverTlsVerifiedByMtaSts() throws Exception {
        Path attachment = dir.resolve("data.bin");
        byte[] data = new byte[1024 * 1024];
        new Random(13).nextBytes(data);
        Files.write(attachment, data);
        try (MtaStsDestination destination = new MtaStsDestination(dir, "stsok", "enforce", "mx.stsok.good.test", null)) {
            String token = "sts-enforce-" + System.nanoTime();
            destination.submit("bob@stsok.good.test", token, attachment);

            String sent = destination.sealpost.awaitLine("to=<bob@stsok.good.test>.*status=sent", Duration.ofSeconds(60));
            assertTrue(sent.contains("(mta-sts)"), sent);
            assertTrue(destination.sealpost.output().contains("Verified TLS connection established to mx.stsok.good.test"),
                    destination.sealpost.output());
            assertTrue(destination.sealpost.output().contains("mta-sts: stsok.good.test: policy id=20261202T0100 mode=enforce"),
                    destination.sealpost.output());
            String message = destination.sink.awaitMessage(token, Duration.ofSeconds(30));
            assertTrue(message.length() > 1024 * 1024, "the whole message arrived: " + message.length() + " octets");
            assertTrue(message.contains("data.bin"), "with its attachment");
            assertEquals(1, destination.policyFetches());
        }
    }
}
