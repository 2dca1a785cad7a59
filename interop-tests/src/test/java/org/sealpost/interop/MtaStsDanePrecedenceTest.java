package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.MtaStsDestination;

/**
 * swaks -> sealpost (DANE: a TLSA record that does not match; MTA-STS enforce with a valid chain
 * naming the MX) -> STARTTLS -> postfix smtpd: deferred, as DANE takes precedence (RFC 8461 2).
 */
class MtaStsDanePrecedenceTest {

    @TempDir
    Path dir;

    @Test
    void daneFailing_defers_evenThoughMtaStsEnforceWouldPass() throws Exception {
        try (MtaStsDestination destination = new MtaStsDestination(dir, "stsdane", "enforce", "mx.stsdane.good.test",
                "00".repeat(32))) {
            destination.submit("eve@stsdane.good.test", "must not pass on MTA-STS alone", null);

            String deferred = destination.awaitDeferred("eve@stsdane.good.test", "must not pass on MTA-STS alone");
            assertTrue(deferred.contains("(dane failed)"), deferred);
        }
    }
}
