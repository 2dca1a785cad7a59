package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.MtaStsDestination;

/**
 * swaks -> sealpost (MTA-STS testing) -> STARTTLS -> postfix smtpd whose certificate names
 * another host -> smtp-sink: delivered, as RFC 8461 5 has testing mode do (the failure is reported).
 */
class MtaStsTestingModeTest {

    @TempDir
    Path dir;

    @Test
    void testing_certificateNotNamingTheMx_isDeliveredAnyway() throws Exception {
        try (MtaStsDestination destination = new MtaStsDestination(dir, "ststest", "testing", "other.ststest.good.test", null)) {
            String token = "sts-testing-" + System.nanoTime();
            destination.submit("bob@ststest.good.test", token, null);

            String sent = destination.sealpost.awaitLine("to=<bob@ststest.good.test>.*status=sent", Duration.ofSeconds(60));
            assertTrue(sent.contains("tls=TLS"), "over TLS all the same: " + sent);
            assertTrue(destination.sealpost.output().contains("mode=testing"), destination.sealpost.output());
            destination.sink.awaitMessage(token, Duration.ofSeconds(30));
            assertEquals(1, destination.policyFetches(), "the policy was fetched and applied in testing mode");
        }
    }
}
