package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sealpost.signing.dkim2.RecipeFixtures.TEXT;
import static org.sealpost.signing.dkim2.RecipeFixtures.TEXT_WITH_FOOTER;
import static org.sealpost.signing.dkim2.RecipeFixtures.mixed;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chains of four hops in which some hops change the message, verified with the recipe engine
 * ({@link Dkim2Recipes}): every earlier version is recreated from the recipes and checked against
 * its own Message-Instance, and the change report says what each hop changed. The five edits of
 * the issue: a footer added to the text part, a subject tag, a header field removed, an attachment
 * removed, a part re-encoded.
 */
class Dkim2ChangesTest {

    private static final int HOPS = 4;

    @TempDir
    Path dir;

    /** The message as hop {@code hop} passes it on, having changed its content to {@code revised}. */
    private String revise(String arrived, byte[] revised, int hop) throws Exception {
        String content = new String(revised, StandardCharsets.ISO_8859_1);
        String later = dkim2Fields(arrived) + content;
        Recipe recipe = RecipeFixtures.between(dir, Hops.bytes(arrived), Hops.bytes(later));
        return Hops.sign(later, hop, HOPS, Hops.Keys.ED25519,
                Dkim2SignOptions.forEnvelope(Hops.envelope(hop, HOPS)).withRecipe(recipe.toString()));
    }

    /** The DKIM2 fields on top of a message this test signed (the signer puts them first). */
    private static String dkim2Fields(String message) {
        StringBuilder fields = new StringBuilder();
        for (String field : message.split("\r\n(?![ \t])")) {
            if (!field.startsWith("DKIM2-Signature:") && !field.startsWith("Message-Instance:")) {
                break;
            }
            fields.append(field).append("\r\n");
        }
        return fields.toString();
    }

    private static String first() throws Exception {
        return Hops.sign(new String(RecipeFixtures.original(), StandardCharsets.ISO_8859_1), 1, HOPS, Hops.Keys.ED25519,
                null);
    }

    private static Dkim2Result verify(String message) {
        return Hops.verify(message, Hops.envelope(HOPS, HOPS), Hops.dns(HOPS),
                Dkim2VerifierOptions.defaults().withClock(Hops.CLOCK).withEarlierVersions(Dkim2Recipes.ENGINE));
    }

    private static List<String> changes(Dkim2Result result, int m) {
        return result.instances().get(m - 1).changes();
    }

    @Test
    void footerAndSubjectTagAtHop2_nothingAtHop3_attachmentRemovedAtHop4_allVersionsCheck() throws Exception {
        String hop2 = revise(first(), mixed("[list] Minutes", true, TEXT_WITH_FOOTER, false, true), 2);
        String hop3 = Hops.sign(hop2, 3, HOPS, Hops.Keys.ED25519, null);
        String hop4 = revise(hop3, mixed("[list] Minutes", true, TEXT_WITH_FOOTER, false, false), 4);

        Dkim2Result result = verify(hop4);
        assertEquals(Dkim2Verdict.PASS, result.verdict(), result.reason());
        assertEquals(List.of(1, 2, 2, 3), result.hops().stream().map(Dkim2Result.Hop::m).toList());
        for (Dkim2Result.Instance instance : result.instances()) {
            assertEquals(Dkim2Result.Check.PASS, instance.check(), "m=" + instance.m() + ": " + instance.reason());
        }
        assertEquals(List.of(), changes(result, 1));
        assertEquals(List.of("changed header subject", "changed part 1.1 text/plain"), changes(result, 2));
        assertEquals(List.of("removed part 2 application/pdf"), changes(result, 3));
        assertEquals("dkim2=pass (i=1 hop1.example pass, i=2 hop2.example pass changed ~h:subject ~p:1.1:text/plain,"
                + " i=3 hop3.example pass, i=4 hop4.example pass changed -p:2:application/pdf) header.d=hop1.example",
                result.toAuthenticationResults());
    }

    @Test
    void headerFieldRemovedAndPartReEncoded_atHop2() throws Exception {
        String hop2 = revise(first(), mixed("Minutes", false, TEXT, true, true), 2);
        String hop4 = Hops.sign(Hops.sign(hop2, 3, HOPS, Hops.Keys.ED25519, null), 4, HOPS, Hops.Keys.ED25519, null);

        Dkim2Result result = verify(hop4);
        assertEquals(Dkim2Verdict.PASS, result.verdict(), result.reason());
        assertEquals(List.of("removed header reply-to", "changed part 1.2 text/html"), changes(result, 2));
    }

    @Test
    void aRecipeThatDoesNotRecreateTheEarlierVersion_failsThatVersionsHashes() throws Exception {
        String arrived = first();
        // Hop 2 adds the footer but declares only the subject tag: the recreated m=1 keeps the footer.
        String declared = dkim2Fields(arrived) + new String(mixed("[list] Minutes", true, TEXT, false, true),
                StandardCharsets.ISO_8859_1);
        Recipe partial = RecipeFixtures.between(dir, Hops.bytes(arrived), Hops.bytes(declared));
        String later = dkim2Fields(arrived) + new String(mixed("[list] Minutes", true, TEXT_WITH_FOOTER, false, true),
                StandardCharsets.ISO_8859_1);
        String hop2 = Hops.sign(later, 2, HOPS, Hops.Keys.ED25519,
                Dkim2SignOptions.forEnvelope(Hops.envelope(2, HOPS)).withRecipe(partial.toString()));
        String hop4 = Hops.sign(Hops.sign(hop2, 3, HOPS, Hops.Keys.ED25519, null), 4, HOPS, Hops.Keys.ED25519, null);

        Dkim2Result result = verify(hop4);
        assertEquals(Dkim2Verdict.FAIL, result.verdict(), result.reason());
        assertTrue(result.reason().contains("m=1 body hash"), result.reason());
        assertEquals(Dkim2Result.Check.PASS, result.instances().get(1).check());
    }

    @Test
    void aChangeAfterTheLastSignature_failsTheNewestHashes_andAHopThatChangesWithoutARecipeIsRefused() throws Exception {
        String hop2 = revise(first(), mixed("[list] Minutes", true, TEXT_WITH_FOOTER, false, true), 2);
        String tampered = hop2.replace("list mailing list", "list mailing lists");
        Dkim2Result result = Hops.verify(tampered, Hops.envelope(2, HOPS), Hops.dns(HOPS),
                Dkim2VerifierOptions.defaults().withClock(Hops.CLOCK).withEarlierVersions(Dkim2Recipes.ENGINE));
        assertEquals(Dkim2Verdict.FAIL, result.verdict());
        assertTrue(result.reason().contains("m=2 body hash"), result.reason());

        String unsigned = dkim2Fields(first()) + new String(mixed("[list] Minutes", true, TEXT, false, true),
                StandardCharsets.ISO_8859_1);
        assertThrows(Dkim2Refusal.class, () -> Hops.sign(unsigned, 2, HOPS, Hops.Keys.ED25519, null));
    }

    @Test
    void aRecipeThatIsNotJson_isAPermerrorNamingTheInstance() throws Exception {
        String arrived = first();
        String later = dkim2Fields(arrived) + new String(mixed("[list] Minutes", true, TEXT, false, true),
                StandardCharsets.ISO_8859_1);
        String hop2 = Hops.sign(later, 2, HOPS, Hops.Keys.ED25519,
                Dkim2SignOptions.forEnvelope(Hops.envelope(2, HOPS)).withRecipe("{\"h\": {\"subject\": [{\"c\": [2, 1]}]}}"));
        Dkim2Result result = Hops.verify(hop2, Hops.envelope(2, HOPS), Hops.dns(HOPS),
                Dkim2VerifierOptions.defaults().withClock(Hops.CLOCK).withEarlierVersions(Dkim2Recipes.ENGINE));
        assertEquals(Dkim2Verdict.PERMERROR, result.verdict(), result.reason());
        assertTrue(result.reason().startsWith("Message-Instance m=2 contains invalid JSON"), result.reason());
    }
}
