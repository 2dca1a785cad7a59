package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.MtaStsDestination;
import org.sealpost.interop.support.SealpostCli;
import org.sealpost.interop.support.ShortProcess;

/**
 * swaks -> sealpost (MTA-STS enforce) -> STARTTLS -> postfix smtpd whose certificate names
 * another host: deferred, never delivered; and `sealpost check --mta-sts-port` says it would defer.
 */
class MtaStsEnforceMismatchTest {

    @TempDir
    Path dir;

    @Test
    void enforce_certificateNotNamingTheMx_isDeferred_andCheckSaysDefer() throws Exception {
        try (MtaStsDestination destination = new MtaStsDestination(dir, "stsbad", "enforce", "other.stsbad.good.test", null)) {
            destination.submit("eve@stsbad.good.test", "must not reach an unverified peer", null);

            String deferred = destination.awaitDeferred("eve@stsbad.good.test", "must not reach an unverified peer");
            assertTrue(deferred.contains("(verify failed)"), deferred);

            ShortProcess.Result check = SealpostCli.run(dir, new byte[0], "check", "stsbad.good.test",
                    "--config", destination.sealpost.config().toString(),
                    "--resolver", destination.resolver.toString(), "--trust-anchor", destination.trustAnchors.toString(),
                    "--mta-sts-port", Integer.toString(destination.stsPort));
            String out = check.out();
            assertEquals(1, check.status(), check.describe());
            assertTrue(out.contains("policy: mta-sts (enforce) id=20261202T0100 max_age=86400 mx=mx.stsbad.good.test"), out);
            assertTrue(out.contains("policy: verify (mta-sts)"), out);
            assertTrue(out.contains("verdict=defer"), out);
        }
    }
}
