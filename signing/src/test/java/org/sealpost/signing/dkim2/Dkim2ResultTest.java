package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sealpost.signing.dkim.FakeDns;

/** What a result says about its transmission (-06 11.9): the digest that tells copies apart, duplicates, f=exploded. */
class Dkim2ResultTest {

    private static final FakeDns DNS = Hops.dns(1);
    private static final Dkim2Envelope TO_BOB_AND_CAROL = Dkim2Envelope.of("bounce@mail.hop1.example",
            "bob@final.example", "carol@final.example");

    private static String signed(Dkim2SignOptions options) throws Dkim2Refusal {
        return Hops.sign(Hops.MESSAGE, 1, 1, Hops.Keys.ED25519, options);
    }

    private static byte[] digest(String message, Dkim2Envelope envelope) {
        Dkim2Result result = Hops.verify(message, envelope, DNS);
        assertEquals(Dkim2Verdict.PASS, result.verdict(), result::toString);
        return result.transmission().orElseThrow().digest();
    }

    @Test
    void transmission_sameSignedMessageAndEnvelope_digestsAlike_whateverTheRecipientOrderOrDomainCase()
            throws Exception {
        String message = signed(Dkim2SignOptions.forEnvelope(TO_BOB_AND_CAROL));
        byte[] first = digest(message, TO_BOB_AND_CAROL);

        assertEquals(32, first.length);
        assertArrayEquals(first, digest(message, TO_BOB_AND_CAROL));
        assertArrayEquals(first, digest(message, Dkim2Envelope.of("bounce@MAIL.hop1.example", "carol@final.example",
                "bob@Final.Example", "carol@final.example")));
    }

    @Test
    void transmission_sameSignatureToAnotherRecipientOfIt_isAnotherTransmission() throws Exception {
        String message = signed(Dkim2SignOptions.forEnvelope(TO_BOB_AND_CAROL));

        byte[] toBob = digest(message, Dkim2Envelope.of("bounce@mail.hop1.example", "bob@final.example"));
        byte[] toCarol = digest(message, Dkim2Envelope.of("bounce@mail.hop1.example", "carol@final.example"));

        assertFalse(Arrays.equals(toBob, toCarol), "one signed message sent per recipient is not a duplicate");
        assertFalse(Arrays.equals(toBob, digest(message, TO_BOB_AND_CAROL)));
    }

    @Test
    void transmission_theSameMessageSignedAgain_isAnotherTransmission_withTheSameOriginal() throws Exception {
        // Hops.sign fixes t=; a nonce makes the second signing differ as another t= would.
        String once = signed(Dkim2SignOptions.forEnvelope(TO_BOB_AND_CAROL).withNonce("first"));
        String again = signed(Dkim2SignOptions.forEnvelope(TO_BOB_AND_CAROL).withNonce("retry"));

        Dkim2Result.Transmission first = Hops.verify(once, TO_BOB_AND_CAROL, DNS).transmission().orElseThrow();
        Dkim2Result.Transmission second = Hops.verify(again, TO_BOB_AND_CAROL, DNS).transmission().orElseThrow();

        assertEquals(first.original(), second.original(), "the m=1 hashes are the content's");
        assertFalse(Arrays.equals(first.digest(), second.digest()), "a retry signed anew is not a duplicate");
    }

    @Test
    void transmission_ofAChainThatFailed_isStillGiven_ofOneThatCouldNotBeRead_isNot() throws Exception {
        String message = signed(Dkim2SignOptions.forEnvelope(TO_BOB_AND_CAROL));
        Dkim2Result replayed = Hops.verify(message, Dkim2Envelope.of("bounce@mail.hop1.example", "mallory@final.example"),
                DNS);
        Dkim2Result broken = Hops.verify(message.replace("i=1;", "i=2;"), TO_BOB_AND_CAROL, DNS);
        Dkim2Result unsigned = Hops.verify(Hops.MESSAGE, TO_BOB_AND_CAROL, DNS);

        assertEquals(Dkim2Verdict.PERMERROR, replayed.verdict());
        assertTrue(replayed.transmission().isPresent());
        assertEquals(Dkim2Verdict.PERMERROR, broken.verdict(), broken::toString);
        assertTrue(broken.transmission().isEmpty());
        assertTrue(unsigned.transmission().isEmpty());
    }

    @Test
    void duplicate_failsTheMessage_chargedToTheNewestHop_theHopsKeepTheirOutcomes() throws Exception {
        String message = Hops.chain(2, Hops.Keys.ED25519);
        Dkim2Result result = Hops.verify(message, Hops.envelope(2, 2), Hops.dns(2));

        Dkim2Result duplicate = result.duplicate();

        assertEquals(Dkim2Verdict.FAIL, duplicate.verdict());
        assertEquals("dkim2=fail (i=1 hop1.example pass, i=2 hop2.example pass; FAIL: Duplicate message with no exploded"
                + " flag) header.d=hop1.example header.i=2", duplicate.toAuthenticationResults());
        assertEquals(result.transmission(), duplicate.transmission());
    }

    @Test
    void exploded_whenAnyHopSaysSo() throws Exception {
        String plain = Hops.chain(2, Hops.Keys.ED25519);
        String hop1 = Hops.sign(Hops.MESSAGE, 1, 2, Hops.Keys.ED25519,
                Dkim2SignOptions.forEnvelope(Hops.envelope(1, 2)).withFlags(Dkim2Wire.EXPLODED));
        String exploded = Hops.sign(hop1, 2, 2, Hops.Keys.ED25519, null);

        assertFalse(Hops.verify(plain, Hops.envelope(2, 2), Hops.dns(2)).exploded());
        Dkim2Result result = Hops.verify(exploded, Hops.envelope(2, 2), Hops.dns(2));
        assertEquals(Dkim2Verdict.PASS, result.verdict(), result::toString);
        assertTrue(result.exploded());
        assertEquals(List.of(Dkim2Wire.EXPLODED), result.hops().get(0).flags());
    }
}
