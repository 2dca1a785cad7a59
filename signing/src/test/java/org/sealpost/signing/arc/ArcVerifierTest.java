package org.sealpost.signing.arc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sealpost.dnssec.Outcome;
import org.sealpost.dnssec.Security;
import org.sealpost.signing.dkim.FakeDns;

class ArcVerifierTest {

    private static final String DMARC_PASS = "dkim=pass header.d=origin.example; dmarc=pass header.from=origin.example";

    @Test
    void noArcFields_isNone() {
        ArcResult result = Hops.verify(Hops.MESSAGE);
        assertEquals(ArcStatus.NONE, result.status());
        assertEquals("arc=none", result.toAuthenticationResults());
    }

    @Test
    void oneHop_passes_withTheSetsDetails() {
        String sealed = Hops.seal(Hops.MESSAGE, Hops.forwarder(), DMARC_PASS);
        ArcResult result = Hops.verify(sealed);
        assertEquals(ArcStatus.PASS, result.status(), result.reason());
        assertEquals(0, result.oldestPass());
        ArcSetResult set = result.newest().orElseThrow();
        assertEquals(1, set.instance());
        assertEquals("forwarder.example", set.domain());
        assertEquals("arc", set.selector());
        assertEquals("forwarder.example", set.messageDomain());
        assertEquals(ArcStatus.NONE, set.cv());
        assertEquals("forwarder.example; " + DMARC_PASS + "; arc=none", set.authenticationResults());
        assertEquals(Security.INSECURE, set.sealKeySecurity());
        assertEquals("arc=pass header.oldest-pass=0", result.toAuthenticationResults());
    }

    @Test
    void threeHops_mixingRsaAndEd25519_pass() {
        String one = Hops.seal(Hops.MESSAGE, Hops.forwarder(), DMARC_PASS);
        String two = Hops.seal(one, Hops.list(), "dkim=pass header.d=origin.example");
        String three = Hops.seal(two, Hops.relay(), "dkim=pass header.d=origin.example");
        ArcResult result = Hops.verify(three);
        assertEquals(ArcStatus.PASS, result.status(), result.reason());
        assertEquals(3, result.instances());
        assertEquals(List.of(ArcStatus.NONE, ArcStatus.PASS, ArcStatus.PASS), result.sets().stream().map(ArcSetResult::cv).toList());
        assertEquals(List.of("forwarder.example", "list.example", "relay.example"),
                result.sets().stream().map(ArcSetResult::domain).toList());
        assertEquals(Security.SECURE, result.sets().get(1).sealKeySecurity());
    }

    @Test
    void bodyChangedAfterSealing_fails() {
        String sealed = Hops.seal(Hops.MESSAGE, Hops.forwarder(), DMARC_PASS).replace("the body", "a body");
        ArcResult result = Hops.verify(sealed);
        assertEquals(ArcStatus.FAIL, result.status());
        assertTrue(result.reason().contains("ARC-Message-Signature i=1") && result.reason().contains("body hash"),
                result.reason());
        assertFalse(result.temporary());
    }

    @Test
    void sealedFieldChanged_failsTheSeal() {
        String one = Hops.seal(Hops.MESSAGE, Hops.forwarder(), DMARC_PASS);
        String two = Hops.seal(one, Hops.list(), "spf=pass");
        // Change the first set's A-R payload: only the seals cover it.
        String forged = two.replace("forwarder.example; dkim=pass", "forwarder.example; dkim=fail");
        ArcResult result = Hops.verify(forged);
        assertEquals(ArcStatus.FAIL, result.status());
        assertTrue(result.reason().contains("ARC-Seal i=2"), result.reason());
    }

    @Test
    void missingSeal_failsTheStructure() {
        String sealed = Hops.seal(Hops.MESSAGE, Hops.forwarder(), DMARC_PASS);
        String withoutSeal = sealed.substring(sealed.indexOf("ARC-Message-Signature:"));
        ArcResult result = Hops.verify(withoutSeal);
        assertEquals(ArcStatus.FAIL, result.status());
        assertEquals("ARC set i=1 has no ARC-Seal (RFC 8617 4.2.1)", result.reason());
    }

    @Test
    void gapInInstances_fails() {
        String one = Hops.seal(Hops.MESSAGE, Hops.forwarder(), DMARC_PASS);
        String two = Hops.seal(one, Hops.list(), "spf=pass");
        String three = Hops.seal(two, Hops.relay(), "spf=pass");
        // Drop the second set entirely.
        StringBuilder out = new StringBuilder();
        for (String line : three.split("(?<=\r\n)(?=[^ \t])")) {
            if (!(line.startsWith("ARC-") && line.replace("\r\n", "").matches("(?s).*[: ;]i=2;.*"))) {
                out.append(line);
            }
        }
        ArcResult result = Hops.verify(out.toString());
        assertEquals(ArcStatus.FAIL, result.status());
        assertTrue(result.reason().contains("no ARC set i=2"), result.reason());
    }

    @Test
    void duplicateField_fails() {
        String sealed = Hops.seal(Hops.MESSAGE, Hops.forwarder(), DMARC_PASS);
        String twice = "ARC-Authentication-Results: i=1; other.example; spf=pass\r\n" + sealed;
        ArcResult result = Hops.verify(twice);
        assertEquals(ArcStatus.FAIL, result.status());
        assertEquals("more than one ARC-Authentication-Results with i=1", result.reason());
    }

    @Test
    void firstSealClaimingPass_fails() {
        String sealed = Hops.seal(Hops.MESSAGE, Hops.forwarder(), DMARC_PASS).replace("cv=none", "cv=pass");
        ArcResult result = Hops.verify(sealed);
        assertEquals(ArcStatus.FAIL, result.status());
        assertTrue(result.reason().contains("cv=pass where RFC 8617 5.2 step 4 requires cv=none"), result.reason());
    }

    @Test
    void sealOnBrokenChain_saysCvFail_andTheChainStaysFailed() {
        String broken = Hops.seal(Hops.MESSAGE, Hops.forwarder(), DMARC_PASS).replace("the body", "a body");
        ArcResult first = Hops.verify(broken);
        assertEquals(ArcStatus.FAIL, first.status());
        String resealed = new ArcSealer(Hops.list()).seal(Hops.bytes(broken), first, "list.example; arc=fail") + broken;
        assertTrue(resealed.startsWith("ARC-Seal: i=2; a=ed25519-sha256; cv=fail;"), resealed);
        ArcResult result = Hops.verify(resealed);
        assertEquals(ArcStatus.FAIL, result.status());
        assertEquals("ARC-Seal i=2 (d=list.example) says cv=fail", result.reason());
    }

    @Test
    void messageChangedBetweenSealers_givesOldestPass() {
        String one = Hops.seal(Hops.MESSAGE, Hops.forwarder(), DMARC_PASS);
        ArcResult onArrival = Hops.verify(one);
        assertEquals(ArcStatus.PASS, onArrival.status());
        // The list adds a footer after validating, then seals: its own message signature covers the new body.
        String changed = one + "-- \r\nlist footer\r\n";
        String two = new ArcSealer(Hops.list()).seal(Hops.bytes(changed), onArrival, "list.example; arc=pass") + changed;
        ArcResult result = Hops.verify(two);
        assertEquals(ArcStatus.PASS, result.status(), result.reason());
        assertEquals(2, result.oldestPass());
        assertEquals(ArcStatus.FAIL, result.sets().get(0).messageSignature());
        assertEquals("arc=pass header.oldest-pass=2", result.toAuthenticationResults());
    }

    @Test
    void keyLookupTimeout_isATemporaryFailure() {
        String sealed = Hops.seal(Hops.MESSAGE, Hops.forwarder(), DMARC_PASS);
        FakeDns dns = Hops.dns().fail("arc._domainkey.forwarder.example", Outcome.TIMEOUT);
        ArcResult result = new ArcVerifier(dns).verify(Hops.bytes(sealed)).join();
        assertEquals(ArcStatus.FAIL, result.status());
        assertTrue(result.temporary(), result.reason());
    }

    @Test
    void missingKey_isAPermanentFailure() {
        String sealed = Hops.seal(Hops.MESSAGE, Hops.forwarder(), DMARC_PASS);
        ArcResult result = new ArcVerifier(new FakeDns()).verify(Hops.bytes(sealed)).join();
        assertEquals(ArcStatus.FAIL, result.status());
        assertFalse(result.temporary());
        assertTrue(result.reason().contains("no key at arc._domainkey.forwarder.example"), result.reason());
    }

    @Test
    void moreThanFiftySets_fails() {
        String sealed = Hops.seal(Hops.MESSAGE, Hops.forwarder(), DMARC_PASS);
        String fiftyOne = sealed.replace("i=1;", "i=51;");
        ArcResult result = Hops.verify(fiftyOne);
        assertEquals(ArcStatus.FAIL, result.status());
        assertTrue(result.reason().contains("no valid i= instance"), result.reason());
    }

    @Test
    void sealWithHeaderList_fails() {
        String sealed = Hops.seal(Hops.MESSAGE, Hops.forwarder(), DMARC_PASS).replace("ARC-Seal: i=1;", "ARC-Seal: i=1; h=From;");
        ArcResult result = Hops.verify(sealed);
        assertEquals(ArcStatus.FAIL, result.status());
        assertTrue(result.reason().contains("h= tag"), result.reason());
    }

    @Test
    void fedOctetByOctet_givesTheSameResult() {
        String two = Hops.seal(Hops.seal(Hops.MESSAGE, Hops.forwarder(), DMARC_PASS), Hops.list(), "spf=pass");
        ArcVerification verification = new ArcVerifier(Hops.dns()).start();
        for (byte b : Hops.bytes(two)) {
            verification.update(new byte[] {b});
        }
        ArcResult result = verification.finish().join();
        assertEquals(ArcStatus.PASS, result.status(), result.reason());
        assertTrue(verification.retainedBytes() < 64 * 1024);
    }
}
