package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.signing.dkim.HeaderField;

/**
 * croessner/dkim2's -06 recipe vectors (src/test/resources/dkim2/recipes, Apache-2.0): every case of
 * both files is used. Where our recipe differs from theirs, the test says why; each of ours is
 * checked to recreate the earlier version. Their signing-golden.json's only recipe, {"h":[]}, is
 * not -06 JSON (h is an object of field names, -06 5) and is refused.
 */
class RecipeVectorsTest {

    @TempDir
    Path dir;

    private static JsonNode load(String name) throws Exception {
        try (InputStream in = RecipeVectorsTest.class.getResourceAsStream("/dkim2/recipes/" + name)) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static byte[] b64(JsonNode node) {
        return Base64.getDecoder().decode(node.asText());
    }

    private static String r(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Raw fields by lower-case name, top down: the order within a name is the recipe's business, across names is not. */
    private static Map<String, List<String>> byName(List<HeaderField> header) {
        Map<String, List<String>> out = new TreeMap<>();
        for (HeaderField f : header) {
            if (!f.raw().isEmpty()) { // MessageReader's empty field after a header section ending in CRLF
                out.computeIfAbsent(RecipeFieldNames.key(f.name()), k -> new ArrayList<>()).add(f.raw());
            }
        }
        return out;
    }

    @Test
    void application_givesTheExpectedHeaderAndBody() throws Exception {
        JsonNode cases = load("recipe-application-draft-ietf-dkim-dkim2-spec-06.json").get("cases");
        assertEquals(2, cases.size());
        for (JsonNode c : cases) {
            String name = c.get("name").asText();
            Recipe recipe = Recipe.decode(r(c.get("recipe_json").asText()));
            RecipeFixtures.Version later = RecipeFixtures.read(b64(c.get("source_message_base64")));
            RecipeFixtures.Version expectedHeader = RecipeFixtures.read(b64(c.get("expected_headers_base64")));
            assertEquals(byName(expectedHeader.header()), byName(recipe.earlierHeader(later.header())), name);
            if (c.get("expected_body_state").asText().equals("unavailable")) {
                assertTrue(recipe.bodyLost(), name);
                continue;
            }
            RecipeFixtures.Version recreated = RecipeFixtures.recreate(recipe, b64(c.get("source_message_base64")));
            List<String> expectedBody = new ArrayList<>();
            BodyLineSplitter splitter = new BodyLineSplitter(RecipeFixtures.collector(expectedBody));
            byte[] body = b64(c.get("expected_body_base64"));
            splitter.feed(body, 0, body.length);
            splitter.finish();
            assertEquals(expectedBody, recreated.lines(), name);
        }
    }

    @Test
    void recipeTexts_readAndWriteBackByteForByte() throws Exception {
        JsonNode cases = load("recipe-generation-draft-ietf-dkim-dkim2-spec-06.json").get("cases");
        assertEquals(5, cases.size());
        for (JsonNode c : cases) {
            String json = c.get("json").asText();
            Recipe recipe = Recipe.decode(r(json));
            assertEquals(json, new String(recipe.json(), StandardCharsets.UTF_8), c.get("name").asText());
            assertEquals(r(json), recipe.encode(), c.get("name").asText());
        }
    }

    /** Our recipe for each generation case; null where the versions need none. */
    private static final Map<String, String> OURS = new LinkedHashMap<>();

    static {
        OURS.put("unchanged-known", null);
        OURS.put("replace-known", "{\"h\":{\"subject\":[{\"d\":[\" previous\"]}]},\"b\":[{\"d\":[\"old\"]}]}");
        OURS.put("duplicate-copy", "{\"h\":{\"a\":[{\"c\":[1,1]},{\"c\":[3,3]}]},\"b\":[{\"c\":[1,1]},{\"c\":[3,3]}]}");
        // Theirs is b:null (a policy of theirs); an earlier version without a body has no body lines,
        // and its -06 6.1 hash is that of the empty body, which b:[] recreates.
        OURS.put("header-only-unavailable", "{\"h\":{\"subject\":[{\"d\":[\" prior\"]}]},\"b\":[]}");
        OURS.put("current-only-header-removal", "{\"h\":{\"a\":[]}}");
        OURS.put("binary-body-copy", "{\"b\":[{\"c\":[2,2]}]}");
        OURS.put("json-sensitive-header-key", "{\"h\":{\"a\\\"\\\\z\":[{\"d\":[\" prior\"]}]}}");
        // Theirs is b:[] because they tell "A:x CRLF CRLF" from "A:x CRLF"; both bodies have no line
        // and the same -06 6.1 hash, so no recipe is needed.
        OURS.put("delimited-empty-from-header-only", null);
        // Theirs is b:null under a copy-only policy of theirs; we write the line.
        OURS.put("copy-only-literal-unavailable", "{\"b\":[{\"d\":[\"old\"]}]}");
    }

    @Test
    void generation_recreatesEachPreviousVersion() throws Exception {
        JsonNode cases = load("recipe-generation-draft-ietf-dkim-dkim2-spec-06.json").get("generation_cases");
        assertEquals(OURS.keySet(), names(cases));
        int same = 0;
        for (JsonNode c : cases) {
            String name = c.get("name").asText();
            byte[] previous = b64(c.get("previous_base64"));
            byte[] current = b64(c.get("current_base64"));
            String expected = OURS.get(name);
            if (expected == null) {
                RecipeException e = assertThrows(RecipeException.class, () -> RecipeFixtures.between(dir, previous, current), name);
                assertTrue(e.getMessage().startsWith("nothing to recreate"), name + ": " + e.getMessage());
                continue;
            }
            Recipe recipe = RecipeFixtures.between(dir, previous, current);
            assertEquals(expected, recipe.toString(), name);
            same += expected.equals(c.get("json").asText()) ? 1 : 0;
            RecipeFixtures.Version earlier = RecipeFixtures.read(previous);
            RecipeFixtures.Version recreated = RecipeFixtures.recreate(recipe, current);
            assertEquals(earlier.relevantHeader(), recreated.relevantHeader(), name);
            assertEquals(earlier.lines(), recreated.lines(), name);
        }
        assertEquals(5, same, "recipes byte for byte the same as croessner/dkim2's");
    }

    private static java.util.Set<String> names(JsonNode cases) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        cases.forEach(c -> names.add(c.get("name").asText()));
        return names;
    }

    @Test
    void signingGoldenRecipe_isNotMinus06Json() {
        RecipeException e = assertThrows(RecipeException.class, () -> Recipe.decode(r("{\"h\":[]}")));
        assertEquals("h is not an object of field names (-06 5)", e.getMessage());
    }
}
