package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.SigningKey;

/** What {@link Dkim2Signer} refuses, and why (-06 8.8, 9.1 to 9.3). */
class Dkim2SignerTest {

    private static Dkim2Signer signer(int hop) {
        return new Dkim2Signer(Hops.keys(hop, Hops.Keys.ED25519), Hops.CLOCK);
    }

    private static String refusal(Dkim2Signer signer, String message, Dkim2SignOptions options) {
        return assertThrows(Dkim2Refusal.class, () -> signer.sign(Hops.bytes(message), options)).getMessage();
    }

    @Test
    void changedMessageWithoutRecipe_isRefused() throws Exception {
        String once = Hops.chain(1, 2, Hops.Keys.ED25519).replace("Subject: Lunch", "Subject: [list] Lunch");

        assertEquals("cannot sign: the message no longer matches its Message-Instance m=1: give the recipe that recreates"
                + " it, for a new Message-Instance m=2 (-06 9.1)",
                refusal(signer(2), once, Dkim2SignOptions.forEnvelope(Hops.envelope(2, 2))));
    }

    @Test
    void recipeForAnUnchangedMessage_isRefused() throws Exception {
        String once = Hops.chain(1, 2, Hops.Keys.ED25519);

        assertEquals("cannot sign: the message still matches its Message-Instance m=1: a recipe is given but nothing changed",
                refusal(signer(2), once, Dkim2SignOptions.forEnvelope(Hops.envelope(2, 2)).withRecipe("{\"h\":{}}")));
    }

    @Test
    void mailFromOutsideTheSigningDomain_isRefused() {
        assertEquals("cannot sign: MAIL FROM <bounce@elsewhere.example> is not in d=hop1.example or below it (-06 8.8)",
                refusal(signer(1), Hops.MESSAGE, Dkim2SignOptions.forEnvelope(
                        Dkim2Envelope.of("bounce@elsewhere.example", "a@hop2.example"))));
    }

    @Test
    void nullSender_maySignForAnyDomain() throws Exception {
        String fields = signer(1).sign(Hops.bytes(Hops.MESSAGE), Dkim2SignOptions.forEnvelope(
                Dkim2Envelope.of("", "postmaster@hop2.example")));

        assertTrue(fields.contains("mf=" + Dkim2Wire.base64("<>".getBytes()) + ";"), fields);
    }

    @Test
    void hopThatDidNotReceiveTheMessage_isRefused() throws Exception {
        String once = Hops.chain(1, 2, Hops.Keys.ED25519); // sent to user@hop2.example

        String reason = refusal(signer(3), once, Dkim2SignOptions.forEnvelope(Hops.envelope(3, 3)));
        assertTrue(reason.startsWith("cannot sign: the chain of custody would break (-06 9.2, 9.3): DKIM2-Signature i=2"
                + " breaks the chain of custody: MAIL FROM <bounce@mail.hop3.example> is not in a domain i=1 sent to"), reason);
    }

    @Test
    void hopAfterNextDomain_mustBeThatDomain() throws Exception {
        String once = Hops.chain(1, 3, Hops.Keys.ED25519);
        String imaginary = Hops.sign(once, 2, 3, Hops.Keys.ED25519, Dkim2SignOptions.forNextDomain("hop9.example"));

        String reason = refusal(signer(3), imaginary, Dkim2SignOptions.forEnvelope(Hops.envelope(3, 3)));
        assertTrue(reason.contains("MAIL nd= does not match (nd=hop9.example, d=hop3.example in i=3)"), reason);
    }

    @Test
    void brokenChainOnTheMessage_isRefused() throws Exception {
        String once = Hops.chain(1, 2, Hops.Keys.ED25519).replace("DKIM2-Signature: i=1;", "DKIM2-Signature: i=2;");

        assertEquals("cannot sign: the message's DKIM2 fields are not valid: DKIM2-Signature i=1 missing",
                refusal(signer(2), once, Dkim2SignOptions.forEnvelope(Hops.envelope(2, 2))));
    }

    @Test
    void headerStartingWithFoldedLine_isRefused() {
        assertEquals("cannot sign: the header section starts with a folded line", refusal(signer(1),
                " folded\r\n" + Hops.MESSAGE, Dkim2SignOptions.forEnvelope(Hops.envelope(1, 1))));
    }

    @Test
    void nonceAndFlags_areChecked() {
        Dkim2SignOptions options = Dkim2SignOptions.forEnvelope(Hops.envelope(1, 1));

        assertEquals("cannot sign: n= must be at most 64 visible ASCII characters other than ';' (-06 8.3)",
                refusal(signer(1), Hops.MESSAGE, options.withNonce("x".repeat(65))));
        assertEquals("cannot sign: f= flag \"do not\" is not a textstring (-06 8.10)",
                refusal(signer(1), Hops.MESSAGE, options.withFlags("do not")));
    }

    @Test
    void nonceAndFlags_areWrittenAndSigned() throws Exception {
        String message = Hops.sign(Hops.MESSAGE, 1, 1, Hops.Keys.ED25519, Dkim2SignOptions.forEnvelope(Hops.envelope(1, 1))
                .withNonce("q-17").withFlags(Dkim2Wire.DONOTMODIFY, Dkim2Wire.FEEDBACK));
        Dkim2Result result = Hops.verify(message, Hops.envelope(1, 1), Hops.dns(1));

        assertEquals(Dkim2Verdict.PASS, result.verdict(), result::toString);
        assertEquals(List.of(Dkim2Wire.DONOTMODIFY, Dkim2Wire.FEEDBACK), result.hops().get(0).flags());
        assertTrue(message.contains("\tn=q-17;\r\n\tf=donotmodify,feedback;"), message);
    }

    @Test
    void keys_mustShareOneDomain_andMlDsaNeverSignsAlone() {
        SigningKey a = new SigningKey("a.example", "s", KeyType.ED25519, Hops.ED25519.privateKey());
        SigningKey b = new SigningKey("b.example", "s", KeyType.ED25519, Hops.ED25519.privateKey());

        assertThrows(IllegalArgumentException.class, () -> new Dkim2Signer(List.of(Dkim2Key.of(a), Dkim2Key.of(b))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dkim2Signer(
                List.of(Dkim2Key.mlDsa44("a.example", "pq", Hops.MLDSA.getPrivate()))));
        assertTrue(e.getMessage().startsWith("ML-DSA-44 is an experimental extra sig-set"));
        assertThrows(IllegalArgumentException.class, () -> Dkim2Key.mlDsa44("a.example", "pq", Hops.ED25519.privateKey()));
    }

    @Test
    void envelopeAndNextDomain_areExclusive() {
        assertThrows(IllegalArgumentException.class, () -> new Dkim2SignOptions(java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(), List.of(),
                List.of(Dkim2Wire.SHA256), java.util.Optional.empty()));
    }

    @Test
    void donotmodify_thenChangedBody_failsAtTheVerifier() throws Exception {
        String once = Hops.sign(Hops.MESSAGE, 1, 2, Hops.Keys.ED25519, Dkim2SignOptions.forEnvelope(Hops.envelope(1, 2))
                .withFlags(Dkim2Wire.DONOTMODIFY));
        String changed = once.replace("at noon", "at one");
        String twice = Hops.sign(changed, 2, 2, Hops.Keys.ED25519, Dkim2SignOptions.forEnvelope(Hops.envelope(2, 2))
                .withRecipe("{\"b\":null}"));

        Dkim2Result result = Hops.verify(twice, Hops.envelope(2, 2), Hops.dns(2));
        assertEquals(Dkim2Verdict.FAIL, result.verdict());
        assertEquals("Message has been modified despite a donotmodify request (i=1)", result.reason());
    }

    @Test
    void donotmodify_thenAChangedHeaderField_fails_butAnAddedOnePasses() throws Exception {
        String once = Hops.sign(Hops.MESSAGE, 1, 2, Hops.Keys.ED25519, Dkim2SignOptions.forEnvelope(Hops.envelope(1, 2))
                .withFlags(Dkim2Wire.DONOTMODIFY));
        Dkim2Verifier verifier = new Dkim2Verifier(Hops.dns(2), Dkim2VerifierOptions.defaults().withClock(Hops.CLOCK)
                .withEarlierVersions(Dkim2Recipes.ENGINE));

        String tagged = once.replace("Subject: Lunch", "Subject: [team] Lunch");
        String changed = Hops.sign(tagged, 2, 2, Hops.Keys.ED25519, Dkim2SignOptions.forEnvelope(Hops.envelope(2, 2))
                .withRecipe(recipe(once, tagged)));
        Dkim2Result refused = verifier.verify(Hops.bytes(changed), Hops.envelope(2, 2)).join();
        assertEquals(Dkim2Verdict.FAIL, refused.verdict(), refused.reason());
        assertEquals("Message has been modified despite a donotmodify request (i=1)", refused.reason());

        String listed = "List-Id: <team.hop2.example>\r\n" + once;
        String added = Hops.sign(listed, 2, 2, Hops.Keys.ED25519, Dkim2SignOptions.forEnvelope(Hops.envelope(2, 2))
                .withRecipe(recipe(once, listed)));
        Dkim2Result passed = verifier.verify(Hops.bytes(added), Hops.envelope(2, 2)).join();
        assertEquals(Dkim2Verdict.PASS, passed.verdict(), passed.reason());
        assertEquals(List.of("added header list-id"), passed.instances().get(1).changes());
    }

    private static String recipe(String earlier, String later) throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("recipe");
        java.nio.file.Path a = java.nio.file.Files.writeString(dir.resolve("a.eml"), earlier);
        java.nio.file.Path b = java.nio.file.Files.writeString(dir.resolve("b.eml"), later);
        return Recipe.between(a, b).toString();
    }
}
