package org.sealpost.signing.arc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ArcSealerTest {

    @Test
    void firstSet_hasInstanceOne_cvNone_andOurResultsAsPayload() {
        ArcResult none = Hops.verify(Hops.MESSAGE);
        String fields = new ArcSealer(Hops.forwarder()).seal(Hops.bytes(Hops.MESSAGE), none,
                "Authentication-Results: forwarder.example;\r\n spf=pass smtp.mailfrom=origin.example");
        String[] lines = fields.split("\r\n(?=[^ \t])");
        assertTrue(lines[0].startsWith("ARC-Seal: i=1; a=rsa-sha256; cv=none; d=forwarder.example; s=arc;"), lines[0]);
        assertTrue(lines[1].startsWith("ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed;"), lines[1]);
        assertEquals("ARC-Authentication-Results: i=1; forwarder.example; spf=pass smtp.mailfrom=origin.example",
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
}
