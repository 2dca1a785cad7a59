package org.sealpost.signing.arc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Chains sealed by dkimpy's arc_sign and by Sealpost (kept as files, so this runs without dkimpy),
 * each with its result. dkimpy's arc_verify gives the same for 01, 02, 03 and 05; it cannot check the
 * Ed25519 seal of 04 (its ARC code knows rsa-sha256 only), and reports 06 as a terminated chain.
 */
class ChainFixturesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "01-dkimpy                      | pass | 1 set, newest sealed by py.test",
        "02-dkimpy-sealpost             | pass | 2 sets, newest sealed by sp.test",
        "03-dkimpy-sealpost-dkimpy      | pass | 3 sets, newest sealed by py.test",
        "04-dkimpy-sealpost-ed25519     | pass | 2 sets, newest sealed by sp.test",
        "05-dkimpy-body-changed         | fail | ARC-Message-Signature i=1 (d=py.test s=py): body hash did not verify",
        "06-body-changed-sealed-cv-fail | fail | ARC-Seal i=2 (d=sp.test) says cv=fail"})
    void fixture_givesItsResult(String name, String status, String reason) {
        ArcResult result = ChainFixtures.VERIFIER.verify(ChainFixtures.message(name)).join();
        assertEquals(status, result.status().tag(), result.reason());
        assertEquals(reason, result.reason());
    }
}
