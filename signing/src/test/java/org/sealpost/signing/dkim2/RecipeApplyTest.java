package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sealpost.signing.dkim.HeaderField;

/** Applying recipes: header recipes bottom up (-06 5.1), body recipes top down (-06 5.2). */
class RecipeApplyTest {

    private static final List<HeaderField> LATER = List.of(
            HeaderField.of("Received: from x"),
            HeaderField.of("Comments: third"),
            HeaderField.of("From: a@example.com"),
            HeaderField.of("Comments: second"),
            HeaderField.of("Subject: [list] Hello"),
            HeaderField.of("Comments: first"));

    private static List<String> raw(List<HeaderField> header) {
        List<String> out = new ArrayList<>();
        header.forEach(f -> out.add(f.raw()));
        return out;
    }

    private static List<String> earlierBody(String json, String... laterLines) throws RecipeException {
        List<String> out = new ArrayList<>();
        BodyLines sink = RecipeDecodeTest.decodeJson(json).earlierBody(RecipeFixtures.collector(out));
        for (String line : laterLines) {
            byte[] octets = line.getBytes(StandardCharsets.ISO_8859_1);
            sink.line(octets, 0, octets.length);
        }
        sink.end();
        return out;
    }

    @Test
    void headerInstances_areNumberedBottomUp() throws Exception {
        // 1 is "first" (the last in the header), 3 is "third" (the topmost).
        Recipe recipe = RecipeDecodeTest.decodeJson("{\"h\":{\"comments\":[{\"c\":[1,1]},{\"c\":[3,3]}]}}");
        assertEquals(List.of("Received: from x", "Comments: third", "Comments: first", "From: a@example.com",
                "Subject: [list] Hello"), raw(recipe.earlierHeader(LATER)));
    }

    @Test
    void dataSteps_goAboveWhatCameBefore() throws Exception {
        // Emitted in order, each above the last: first, then "restored", then second.
        Recipe recipe = RecipeDecodeTest.decodeJson("{\"h\":{\"comments\":[{\"c\":[1,1]},{\"d\":[\" restored\"]},{\"c\":[2,2]}]}}");
        assertEquals(List.of("Received: from x", "Comments: second", "comments: restored", "Comments: first",
                "From: a@example.com", "Subject: [list] Hello"), raw(recipe.earlierHeader(LATER)));
    }

    @Test
    void emptyRecipe_removesEveryInstance() throws Exception {
        Recipe recipe = RecipeDecodeTest.decodeJson("{\"h\":{\"comments\":[]}}");
        assertEquals(List.of("Received: from x", "From: a@example.com", "Subject: [list] Hello"), raw(recipe.earlierHeader(LATER)));
    }

    @Test
    void emptyDataString_givesNameAndColonOnly() throws Exception {
        Recipe recipe = RecipeDecodeTest.decodeJson("{\"h\":{\"subject\":[{\"d\":[\"\"]}]}}");
        List<HeaderField> earlier = recipe.earlierHeader(LATER);
        assertEquals("subject:", earlier.get(4).raw());
        assertEquals("subject", earlier.get(4).name());
    }

    @Test
    void fieldTheLaterVersionLacks_isRecreatedAtTheBottom() throws Exception {
        Recipe recipe = RecipeDecodeTest.decodeJson("{\"h\":{\"reply-to\":[{\"d\":[\" b@example.com\"]}]}}");
        List<String> earlier = raw(recipe.earlierHeader(LATER));
        assertEquals("reply-to: b@example.com", earlier.get(earlier.size() - 1));
        assertEquals(LATER.size() + 1, earlier.size());
    }

    @Test
    void dataString_isWrittenAsUtf8Octets() throws Exception {
        Recipe recipe = RecipeDecodeTest.decodeJson("{\"h\":{\"subject\":[{\"d\":[\" Gr\u00fc\u00dfe\"]}]}}");
        HeaderField subject = recipe.earlierHeader(LATER).get(4);
        assertEquals("subject: Gr\u00c3\u00bc\u00c3\u009fe", subject.raw()); // ISO-8859-1 view of the UTF-8 octets
    }

    @Test
    void namesMatchWithoutRegardToCase() throws Exception {
        Recipe recipe = RecipeDecodeTest.decodeJson("{\"h\":{\"from\":[]}}");
        assertEquals(5, recipe.earlierHeader(LATER).size());
    }

    @Test
    void copyPastTheLastInstance_isAnError() throws Exception {
        Recipe recipe = RecipeDecodeTest.decodeJson("{\"h\":{\"comments\":[{\"c\":[2,4]}]}}");
        RecipeException e = assertThrows(RecipeException.class, () -> recipe.earlierHeader(LATER));
        assertEquals("h.comments step 1 {\"c\":[2,4]} copies field 4 of comments, but the later header has 3", e.getMessage());
    }

    @Test
    void withoutHeaderRecipe_theHeaderStays() throws Exception {
        assertEquals(LATER, RecipeDecodeTest.decodeJson("{\"b\":[]}").earlierHeader(LATER));
    }

    @Test
    void bodyCopyAndData_areEmittedTopDown() throws Exception {
        assertEquals(List.of("one", "inserted", "", "two", "four"),
                earlierBody("{\"b\":[{\"c\":[1,1]},{\"d\":[\"inserted\",\"\"]},{\"c\":[2,2]},{\"c\":[4,4]}]}", "one", "two", "three", "four", "five"));
    }

    @Test
    void leadingAndTrailingData_areEmitted() throws Exception {
        assertEquals(List.of("top", "two", "bottom"), earlierBody("{\"b\":[{\"d\":[\"top\"]},{\"c\":[2,2]},{\"d\":[\"bottom\"]}]}", "one", "two", "three"));
    }

    @Test
    void emptyLines_areLinesToCopy() throws Exception {
        assertEquals(List.of("", "", "x"), earlierBody("{\"b\":[{\"c\":[2,4]}]}", "a", "", "", "x", ""));
    }

    @Test
    void emptyBodyRecipe_givesAnEmptyBody() throws Exception {
        assertEquals(List.of(), earlierBody("{\"b\":[]}", "a", "b"));
    }

    @Test
    void bodyWithoutFinalCrlf_hasItsLastLineCopied() throws Exception {
        List<String> lines = new ArrayList<>();
        Recipe recipe = RecipeDecodeTest.decodeJson("{\"b\":[{\"c\":[1,1]},{\"d\":[\"inserted\"]},{\"c\":[2,2]}]}");
        BodyLineSplitter splitter = new BodyLineSplitter(recipe.earlierBody(RecipeFixtures.collector(lines)));
        byte[] body = "line-one\r\nline-two".getBytes(StandardCharsets.US_ASCII);
        splitter.feed(body, 0, body.length);
        splitter.finish();
        assertEquals(List.of("line-one", "inserted", "line-two"), lines);
    }

    @Test
    void copyPastTheLastLine_isReportedAtTheEnd() {
        RecipeException.Unchecked e = assertThrows(RecipeException.Unchecked.class,
                () -> earlierBody("{\"b\":[{\"c\":[1,1]},{\"c\":[3,5]}]}", "a", "b", "c", "d"));
        assertEquals("b step 2 {\"c\":[3,5]} copies line 5, but the later body has 4 lines", e.recipeError().getMessage());
    }

    @Test
    void nullBodyRecipe_cannotBeApplied() throws Exception {
        Recipe recipe = RecipeDecodeTest.decodeJson("{\"b\":null}");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> recipe.earlierBody(RecipeFixtures.collector(new ArrayList<>())));
        assertTrue(e.getMessage().contains("cannot be recreated"), e.getMessage());
    }

    @Test
    void withoutBodyRecipe_theSinkIsTheEarlierOne() throws Exception {
        BodyLines sink = RecipeFixtures.collector(new ArrayList<>());
        assertSame(sink, RecipeDecodeTest.decodeJson("{\"h\":{\"to\":[]}}").earlierBody(sink));
    }

    /** Three versions, two recipes: the body is read once and every version's lines and outline come out of it. */
    @Test
    void chainOfRecipes_streamsEveryVersionInOnePass() throws Exception {
        Recipe hop3 = RecipeDecodeTest.decodeJson("{\"b\":[{\"c\":[1,2]}]}"); // hop 3 added a footer line
        Recipe hop2 = RecipeDecodeTest.decodeJson("{\"b\":[{\"d\":[\"original\"]},{\"c\":[2,2]}]}"); // hop 2 rewrote line 1
        List<HeaderField> header = List.of(HeaderField.of("Subject: x"));
        List<String> v3 = new ArrayList<>();
        List<String> v2 = new ArrayList<>();
        List<String> v1 = new ArrayList<>();
        MimeOutline.Builder o3 = MimeOutline.builder(header);
        MimeOutline.Builder o1 = MimeOutline.builder(header);
        BodyLines version1 = BodyLines.tee(RecipeFixtures.collector(v1), o1);
        BodyLines version2 = BodyLines.tee(RecipeFixtures.collector(v2), hop2.earlierBody(version1));
        BodyLines version3 = BodyLines.tee(RecipeFixtures.collector(v3), o3, hop3.earlierBody(version2));
        BodyLineSplitter splitter = new BodyLineSplitter(version3);
        byte[] body = "rewritten\r\nsecond\r\n-- footer\r\n".getBytes(StandardCharsets.US_ASCII);
        splitter.feed(body, 0, body.length);
        splitter.finish();
        assertEquals(List.of("rewritten", "second", "-- footer"), v3);
        assertEquals(List.of("rewritten", "second"), v2);
        assertEquals(List.of("original", "second"), v1);
        assertEquals(List.of("changed part 1 text/plain"), ChangeReport.between(header, o1.outline(), header, o3.outline()).lines());
    }

    @Test
    void splitter_cutsOnlyAtCrlf() {
        List<String> lines = new ArrayList<>();
        BodyLineSplitter splitter = new BodyLineSplitter(RecipeFixtures.collector(lines));
        byte[] body = "a\rb\nc\r\n\r\nd\r".getBytes(StandardCharsets.US_ASCII);
        for (byte b : body) {
            splitter.feed(new byte[] {b}, 0, 1); // one octet at a time: a CR at a chunk's end waits for the next
        }
        splitter.finish();
        assertEquals(List.of("a\rb\nc", "", "d\r"), lines);
    }

    @Test
    void splitter_refusesALineOverItsLimit() {
        BodyLineSplitter splitter = new BodyLineSplitter(RecipeFixtures.collector(new ArrayList<>()), 8);
        byte[] body = "123456789".getBytes(StandardCharsets.US_ASCII);
        RecipeException.Unchecked e = assertThrows(RecipeException.Unchecked.class, () -> splitter.feed(body, 0, body.length));
        assertEquals("body line 1 is longer than 8 octets", e.getMessage());
    }
}
