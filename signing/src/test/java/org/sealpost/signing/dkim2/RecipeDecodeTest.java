package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Recipe#decode}: each rule of the -06 5 schema, accepted and refused, with the error naming the place. */
class RecipeDecodeTest {

    static String r(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static Recipe decodeJson(String json) throws RecipeException {
        return Recipe.decode(r(json));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            header only                         | {"h":{"subject":[{"d":[" old"]}]}}                 | true  | false | false
            body only                           | {"b":[{"c":[1,3]},{"d":["line"]}]}               | false | true  | false
            both                                | {"h":{"to":[{"c":[1,1]}]},"b":[{"c":[2,2]}]}     | true  | true  | false
            null body                           | {"b":null}                                       | false | true  | true
            empty body recipe                   | {"b":[]}                                         | false | true  | false
            field removed entirely              | {"h":{"list-id":[]}}                             | true  | false | false
            empty d string                      | {"h":{"comments":[{"d":[""]}]}}                  | true  | false | false
            copy of one item                    | {"b":[{"c":[5,5]}]}                              | false | true  | false
            unknown top-level member ignored    | {"h":{"a":[]},"z":{"deep":[1,{"x":null}]}}       | true  | false | false
            field name with odd characters      | {"h":{"a\\"\\\\z!~":[]}}                          | true  | false | false
            whitespace around JSON tokens       | { "b" : [ { "c" : [ 1 , 2 ] } ] }                | false | true  | false
            """)
    void accepted(String name, String json, boolean header, boolean body, boolean lost) throws Exception {
        Recipe recipe = decodeJson(json);
        assertEquals(header, recipe.changesHeader(), "changesHeader");
        assertEquals(body, recipe.changesBody(), "changesBody");
        assertEquals(lost, recipe.bodyLost(), "bodyLost");
        assertEquals(recipe, Recipe.decode(recipe.encode()), "decode(encode())");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not an object                 | []                                          | not an object
            neither h nor b               | {"z":1}                                     | neither h nor b
            h not an object               | {"h":[]}                                    | h is not an object
            h without member              | {"h":{}}                                    | h has no member
            name not lower case           | {"h":{"Subject":[]}}                        | "Subject" is not lower case
            name with a colon             | {"h":{"sub:ject":[]}}                       | is not a field name
            name with a space             | {"h":{"sub ject":[]}}                       | is not a field name
            name not ASCII                | {"h":{"süb":[]}}                            | is not a field name
            empty name                    | {"h":{"":[]}}                               | empty field name
            steps not an array            | {"h":{"subject":{"c":[1,1]}}}               | h.subject is not an array of steps
            b a string                    | {"b":"x"}                                   | b is not an array of steps
            step not an object            | {"b":[{"c":[1,1]},[1,1]]}                   | b step 2 is not an object
            empty step                    | {"b":[{}]}                                  | b step 1 is empty
            step with c and d             | {"b":[{"c":[1,1],"d":["x"]}]}               | b step 1 has member "d"
            step with an unknown key      | {"h":{"to":[{"c":[1,1],"x":1}]}}             | h.to step 1 has member "x"
            step of another kind          | {"b":[{"z":[1]}]}                            | b step 1 has member "z"
            c not an array                | {"b":[{"c":1}]}                             | b step 1 c is not an array
            c one number                  | {"b":[{"c":[1]}]}                           | b step 1 c has 1 number
            c three numbers               | {"b":[{"c":[1,2,3]}]}                       | b step 1 c has more than two numbers
            c zero                        | {"b":[{"c":[0,2]}]}                         | b step 1 c holds 0
            c negative                    | {"b":[{"c":[-1,2]}]}                        | b step 1 c holds -1
            c fraction                    | {"b":[{"c":[1.5,2]}]}                       | b step 1 c holds a fraction
            c string                      | {"b":[{"c":["1",2]}]}                       | b step 1 c holds a string
            c beyond a long               | {"b":[{"c":[1,99999999999999999999]}]}       | too large
            c backwards                   | {"h":{"to":[{"c":[3,2]}]}}                  | h.to step 1 {"c":[3,2]} ends before it starts
            c not ascending               | {"b":[{"c":[1,4]},{"d":["x"]},{"c":[4,5]}]}  | b step 3 {"c":[4,5]} does not start after the previous copy, which ended at 4
            c going back                  | {"h":{"to":[{"c":[5,6]},{"c":[1,2]}]}}      | h.to step 2
            d not an array                | {"b":[{"d":"x"}]}                           | b step 1 d is not an array
            d empty                       | {"b":[{"d":[]}]}                            | b step 1 d is empty
            d not a string                | {"b":[{"d":["x",1]}]}                       | b step 1 d string 2 is an integer
            d with CR                     | {"b":[{"d":["a\\rb"]}]}                      | b step 1 d string 1 holds CR or LF
            d with LF                     | {"h":{"to":[{"d":[" a\\nb"]}]}}              | h.to step 1 d string 1 holds CR or LF
            duplicate top-level member    | {"b":[],"b":null}                           | uplicate
            duplicate field name          | {"h":{"to":[],"to":[]}}                     | uplicate
            trailing data                 | {"b":[]} {}                                 | more after its object
            not JSON                      | {b:[]}                                      | not valid JSON
            unterminated                  | {"b":[                                      | not valid JSON
            """)
    void refused(String name, String json, String reason) {
        RecipeException e = assertThrows(RecipeException.class, () -> decodeJson(json));
        assertTrue(e.getMessage().contains(reason), "expected \"" + reason + "\" in: " + e.getMessage());
    }

    @Test
    void base64WithFoldingWhitespace_isAccepted() throws Exception {
        String value = r("{\"b\":null}");
        String folded = value.substring(0, 4) + "\r\n\t" + value.substring(4, 9) + " " + value.substring(9);
        assertTrue(Recipe.decode(folded).bodyLost());
    }

    @Test
    void unpaddedBase64_isRefused() {
        String value = r("{\"b\":[]}").replace("=", "");
        RecipeException e = assertThrows(RecipeException.class, () -> Recipe.decode(value));
        assertTrue(e.getMessage().contains("padding is required"), e.getMessage());
    }

    @Test
    void notBase64_isRefusedWithTheCharacter() {
        RecipeException e = assertThrows(RecipeException.class, () -> Recipe.decode("eyJi;Ijpu"));
        assertEquals("r= is not base64: ';' at character 5", e.getMessage());
    }

    @Test
    void emptyValue_isRefused() {
        assertThrows(RecipeException.class, () -> Recipe.decode(" \r\n "));
    }

    @Test
    void invalidUtf8InJson_isRefused() {
        byte[] json = {'{', '"', 'b', '"', ':', '[', '{', '"', 'd', '"', ':', '[', '"', (byte) 0xff, '"', ']', '}', ']', '}'};
        RecipeException e = assertThrows(RecipeException.class, () -> Recipe.decode(Base64.getEncoder().encodeToString(json)));
        assertEquals("the recipe JSON is not UTF-8 (RFC 8259 8.1)", e.getMessage());
    }

    /** Found by RecipeFuzzTest: jackson's byte parser took octets with NULs for UTF-32 and threw an IOException. */
    @Test
    void jsonThatLooksLikeUtf32_isRefusedAsJson() {
        byte[] json = {0, 0, 0, '{', '"', 'b', '"', ':', 'n', 'u', 'l', 'l', '}'};
        RecipeException e = assertThrows(RecipeException.class, () -> Recipe.decode(Base64.getEncoder().encodeToString(json)));
        assertTrue(e.getMessage().startsWith("the recipe is not valid JSON"), e.getMessage());
    }

    @Test
    void encode_isCompactJsonWithHeaderFirst() throws Exception {
        Recipe recipe = decodeJson("{ \"b\" : [ {\"d\":[\"x\\u0001\\ty\"]} ], \"h\" : {\"to\":[{\"c\":[1,2]}], \"cc\":[]} }");
        assertEquals("{\"h\":{\"to\":[{\"c\":[1,2]}],\"cc\":[]},\"b\":[{\"d\":[\"x\\u0001\\ty\"]}]}", recipe.toString());
        assertEquals(r(recipe.toString()), recipe.encode());
    }

    @Test
    void headerNames_areTheRecipesNames() throws Exception {
        assertEquals(java.util.Set.of("to", "cc"), decodeJson("{\"h\":{\"to\":[],\"cc\":[]}}").headerNames());
        assertFalse(decodeJson("{\"b\":null}").changesHeader());
    }
}
