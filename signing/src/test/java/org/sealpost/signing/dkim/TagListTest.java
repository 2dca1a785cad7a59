package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6376 3.2 tag lists. */
class TagListTest {

    @Test
    void tags_keepOrderAndTrimFoldingWhitespace() throws Exception {
        TagList tags = TagList.parse(" v=1;\r\n\ta = rsa-sha256 ; b=ab\r\n cd;");
        assertEquals(List.of("v", "a", "b"), List.copyOf(tags.tags().keySet()));
        assertEquals("rsa-sha256", tags.get("a"));
        assertEquals("ab\r\n cd", tags.get("b"));
        assertEquals("abcd", TagList.withoutFws(tags.get("b")));
    }

    @Test
    void duplicateTag_isAnError() {
        DkimPermanentError e = assertThrows(DkimPermanentError.class, () -> TagList.parse("a=1; b=2; a=3"));
        assertTrue(e.getMessage().contains("duplicate tag a="));
    }

    @Test
    void tagWithoutEquals_isAnError() {
        assertThrows(DkimPermanentError.class, () -> TagList.parse("k=rsa; t; p=x"));
    }

    @Test
    void emptyTagInTheMiddle_isAnError() {
        assertThrows(DkimPermanentError.class, () -> TagList.parse("a=1;; b=2"));
    }

    @Test
    void badTagName_isAnError() {
        assertThrows(DkimPermanentError.class, () -> TagList.parse("1a=x"));
        assertThrows(DkimPermanentError.class, () -> TagList.parse("a-b=x"));
    }

    @Test
    void tagNames_areCaseSensitive() throws Exception {
        TagList tags = TagList.parse("A=1; a=2");
        assertEquals("1", tags.get("A"));
        assertEquals("2", tags.get("a"));
    }

    @Test
    void emptyValue_isAllowed() throws Exception {
        assertEquals("", TagList.parse("p=").get("p"));
    }

    @Test
    void controlCharacterInValue_isAnError() {
        assertThrows(DkimPermanentError.class, () -> TagList.parse("a=x\u0001y"));
    }
}
