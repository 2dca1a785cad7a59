package org.sealpost.signing.arc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ArcSealerTest {

    @Test
    void firstSet_hasInstanceOne_cvNone_andOurResultsAsPayload_foldsKept() {
        ArcResult none = Hops.verify(Hops.MESSAGE);
        String fields = new ArcSealer(Hops.forwarder()).seal(Hops.bytes(Hops.MESSAGE), none,
                "Authentication-Results: forwarder.example;\r\n spf=pass smtp.mailfrom=origin.example");
        String[] lines = fields.split("\r\n(?=[^ \t])");
        assertTrue(lines[0].startsWith("ARC-Seal: i=1; a=rsa-sha256; cv=none; d=forwarder.example; s=arc;"), lines[0]);
        assertTrue(lines[1].startsWith("ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed;"), lines[1]);
        // The fold of our Authentication-Results is kept: the copy's lines stay as short as the original's.
        assertEquals("ARC-Authentication-Results: i=1; forwarder.example;\r\n spf=pass smtp.mailfrom=origin.example",
                lines[2].strip());
    }

    @Test
    void resultOfAnotherMessage_isRefused() {
        String sealed = Hops.seal(Hops.MESSAGE, Hops.forwarder(), "spf=pass");
        ArcResult none = Hops.verify(Hops.MESSAGE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ArcSealer(Hops.list()).seal(Hops.bytes(sealed), none, "list.example; arc=none"));
        assertTrue(e.getMessage().contains("arc=none but the message has ARC fields"), e.getMessage());
    }

    @Test
    void fiftySets_cannotBeSealedAgain() {
        String sealed = Hops.seal(Hops.MESSAGE, Hops.forwarder(), "spf=pass").replace("i=1;", "i=50;");
        ArcResult failed = Hops.verify(sealed);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ArcSealer(Hops.list()).seal(Hops.bytes(sealed), failed, "list.example; arc=fail"));
        assertTrue(e.getMessage().contains("already has 50 ARC sets"), e.getMessage());
    }

    @Test
    void messageStartingWithAFoldedLine_isRefused() {
        String folded = " continued\r\n" + Hops.MESSAGE;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ArcSealer(Hops.list()).seal(Hops.bytes(folded), Hops.verify(Hops.MESSAGE), "list.example; arc=none"));
        assertTrue(e.getMessage().contains("folded"), e.getMessage());
    }

    @Test
    void headerListNamingArcSeal_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ArcSealer(Hops.forwarder(),
                org.sealpost.signing.dkim.SignerOptions.defaults().withHeaders(java.util.List.of("From", "ARC-Seal"))));
    }

    @Test
    void passOnArrival_chainLostOnTheWay_sealsCvFailOverOurSetOnly() {
        String sealed = Hops.seal(Hops.MESSAGE, Hops.forwarder(), "spf=pass");
        String withoutSeal = sealed.replaceFirst("ARC-Seal: [^\r]*\r\n(?:[ \t][^\r]*\r\n)*", "");
        ArcSealing sealing = new ArcSealer(Hops.list()).start();
        sealing.update(Hops.bytes(withoutSeal));
        ArcSealing.Seal seal = sealing.finish(ArcStatus.PASS, "list.example; arc=pass");
        assertEquals(2, seal.instance());
        assertEquals(ArcStatus.FAIL, seal.cv());
        assertTrue(seal.note().contains("no longer intact (ARC set i=1 has no ARC-Seal"), seal.note());
        assertTrue(seal.fields().startsWith("ARC-Seal: i=2; a=ed25519-sha256; cv=fail;"), seal.fields());
        assertEquals(ArcStatus.FAIL, Hops.verify(seal.fields() + withoutSeal).status());
    }

    @Test
    void passOnArrival_everySetRemoved_sealsInstanceOneCvFail() {
        ArcSealing sealing = new ArcSealer(Hops.list()).start();
        sealing.update(Hops.bytes(Hops.MESSAGE));
        ArcSealing.Seal seal = sealing.finish(ArcStatus.PASS, "list.example; arc=pass");
        assertEquals(1, seal.instance());
        assertEquals(ArcStatus.FAIL, seal.cv());
        assertTrue(seal.note().contains("its ARC fields are gone"), seal.note());
    }

    @Test
    void passOnArrival_chainIntact_sealsNextInstanceCvPass_andTheChainPasses() {
        String sealed = Hops.seal(Hops.MESSAGE, Hops.forwarder(), "spf=pass");
        ArcSealing sealing = new ArcSealer(Hops.list()).start();
        sealing.update(Hops.bytes(sealed));
        ArcSealing.Seal seal = sealing.finish(ArcStatus.PASS, "Authentication-Results: list.example;\r\n\tarc=pass");
        assertEquals(2, seal.instance());
        assertEquals(ArcStatus.PASS, seal.cv());
        assertEquals("", seal.note());
        ArcResult result = Hops.verify(seal.fields() + sealed);
        assertEquals(ArcStatus.PASS, result.status(), result.reason());
        // Unfolded as RFC 5322 2.2.3 unfolds: the CRLF goes, the tab after it stays.
        assertEquals("list.example;\tarc=pass", result.sets().get(1).authenticationResults());
    }

    @Test
    void newestSealSaysFail_isNotSealedAgain() {
        String broken = Hops.seal(Hops.MESSAGE, Hops.forwarder(), "spf=pass").replace("the body", "a body");
        String failed = new ArcSealer(Hops.list()).seal(Hops.bytes(broken), Hops.verify(broken), "list.example; arc=fail")
                + broken;
        ArcSealing sealing = new ArcSealer(Hops.relay()).start();
        sealing.update(Hops.bytes(failed));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sealing.finish(ArcStatus.FAIL, "relay.example; arc=fail"));
        assertTrue(e.getMessage().contains("already says cv=fail, and RFC 8617 5.1 step 1 stops there"), e.getMessage());
    }
}
