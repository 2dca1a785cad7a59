package org.sealpost.transport.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonStringTest {

    @Test
    void controlCharacters_areEscaped() {
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\"", JsonString.of("a\"b\\c\n\u0001"));
    }
}
