package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes {@link TagList#parse} on arbitrary octets (read as ISO-8859-1, as header fields are held).
 * Properties: only {@link DkimPermanentError} escapes; the same text gives the same tags or the same
 * reason; and a parsed list, written out as {@code name=value} joined by "; ", parses back to the
 * same tags in the same order (the documented normalization: values lose surrounding folding
 * whitespace, a final ";" and the whitespace around names and "=" go). Seeds:
 * src/test/resources/.../TagListFuzzTestInputs/tagList; signing/fuzz/run-fuzz.sh fuzzes.
 */
class TagListFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void tagList(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        Object first = outcome(text);
        assertEquals(first, outcome(text), "parsing is not deterministic");
        if (!(first instanceof List<?> entries)) {
            return;
        }
        TagList tags = TagList.parse(text);
        for (Map.Entry<String, String> tag : tags.tags().entrySet()) {
            String value = tag.getValue();
            assertFalse(value.contains(";"), "a value holds ';': " + tag);
            assertTrue(value.isEmpty() || !TagList.isFws(value.charAt(0)) && !TagList.isFws(value.charAt(value.length() - 1)),
                    "a value keeps surrounding whitespace: " + tag);
        }
        String written = write(tags);
        assertEquals(entries, outcome(written), "written out as \"" + written + "\" it parses differently");
        assertEquals(written, write(TagList.parse(written)), "writing is not stable");
    }

    /** The tags in order, or the reason the text was refused. */
    static Object outcome(String text) {
        try {
            return List.copyOf(TagList.parse(text).tags().entrySet());
        } catch (DkimPermanentError e) {
            return "refused: " + e.getMessage();
        }
    }

    static String write(TagList tags) {
        StringBuilder out = new StringBuilder();
        tags.tags().forEach((name, value) -> out.append(out.length() == 0 ? "" : "; ").append(name).append('=').append(value));
        return out.toString();
    }
}
