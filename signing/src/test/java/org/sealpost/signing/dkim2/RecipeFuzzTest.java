package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.sealpost.signing.dkim.HeaderField;

/**
 * Fuzzes the recipe engine. {@code decodeValue}: any text as an r= value; {@code decodeJson}: any
 * octets as the JSON inside it; {@code apply}: a recipe JSON, a NUL, then a later message to apply
 * it to. Properties: only {@link RecipeException} (or its unchecked carrier from a body sink)
 * escapes; decoding is deterministic; an accepted recipe writes out and reads back as itself; the
 * recreated body has at most the later lines plus the recipe's d lines. Seeds:
 * src/test/resources/.../dkim2/RecipeFuzzTestInputs/; signing/fuzz/run-fuzz.sh fuzzes.
 */
class RecipeFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void decodeValue(byte[] input) {
        check(new String(input, StandardCharsets.ISO_8859_1));
    }

    @FuzzTest(maxDuration = "5m")
    void decodeJson(byte[] input) {
        check(Base64.getEncoder().encodeToString(input));
    }

    @FuzzTest(maxDuration = "5m")
    void apply(byte[] input) {
        int nul = 0;
        while (nul < input.length && input[nul] != 0) {
            nul++;
        }
        Recipe recipe;
        try {
            recipe = Recipe.decode(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(input, nul)));
        } catch (RecipeException e) {
            return;
        }
        byte[] message = nul < input.length ? java.util.Arrays.copyOfRange(input, nul + 1, input.length) : new byte[0];
        RecipeFixtures.Version later = RecipeFixtures.read(message);
        try {
            List<HeaderField> earlier = recipe.earlierHeader(later.header());
            assertTrue(earlier.size() <= later.header().size() + dataItems(recipe) + 0L, "more fields than copies and data allow");
        } catch (RecipeException e) {
            // a copy past the last instance: reported, fine
        }
        if (recipe.bodyLost()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        BodyLines sink = recipe.earlierBody(RecipeFixtures.collector(lines));
        try {
            for (String line : later.lines()) {
                byte[] octets = line.getBytes(StandardCharsets.ISO_8859_1);
                sink.line(octets, 0, octets.length);
            }
            sink.end();
        } catch (RecipeException.Unchecked e) {
            return;
        }
        assertTrue(lines.size() <= later.lines().size() + dataItems(recipe), "more lines than copies and data allow");
    }

    private static long dataItems(Recipe recipe) {
        // The JSON holds every d string; counting the quotes bounds their number.
        String json = recipe.toString();
        return json.chars().filter(c -> c == '"').count();
    }

    private static void check(String value) {
        Object first = outcome(value);
        assertEquals(first, outcome(value), "decoding is not deterministic");
        if (first instanceof Recipe recipe) {
            String encoded = recipe.encode();
            Object again = outcome(encoded);
            assertEquals(recipe, again, "written out, it reads back differently");
            assertEquals(encoded, ((Recipe) again).encode(), "writing is not stable");
        }
    }

    private static Object outcome(String value) {
        try {
            return Recipe.decode(value);
        } catch (RecipeException e) {
            return "refused: " + e.getMessage();
        }
    }
}
