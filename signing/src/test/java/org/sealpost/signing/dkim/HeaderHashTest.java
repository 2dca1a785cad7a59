package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6376 5.4.2 and 3.7: which instances are hashed, and how the signature field itself is. */
class HeaderHashTest {

    private static final String SIG = "DKIM-Signature: v=1; b=abc\r\n def; bh=xyz";

    private static String input(String section, List<String> h) {
        return new String(HeaderHash.input(MessageReader.split(section), h, SIG, Canonicalization.RELAXED),
                StandardCharsets.ISO_8859_1);
    }

    @Test
    void repeatedName_takesInstancesFromTheBottomUp() {
        String section = "Received: one\r\nReceived: two\r\nFrom: a";
        assertEquals("received:two\r\nreceived:one\r\nfrom:a\r\ndkim-signature:v=1; b=; bh=xyz",
                input(section, List.of("Received", "Received", "From")));
    }

    @Test
    void nameListedMoreOftenThanPresent_contributesNothingForTheExtra() {
        String section = "From: a\r\nSubject: s";
        assertEquals("from:a\r\nsubject:s\r\ndkim-signature:v=1; b=; bh=xyz",
                input(section, List.of("From", "From", "Subject", "Subject", "To")));
    }

    @Test
    void namesInH_matchCaseInsensitively() {
        assertEquals("from:a\r\ndkim-signature:v=1; b=; bh=xyz", input("fROM: a", List.of("From")));
    }

    @Test
    void signatureValue_isEmptiedButBhKept() {
        assertEquals("DKIM-Signature: v=1; b=; bh=xyz", HeaderHash.withEmptySignature(SIG));
        assertEquals("DKIM-Signature: bh=1; b=", HeaderHash.withEmptySignature("DKIM-Signature: bh=1; b=\r\n zz"));
        assertEquals("DKIM-Signature: a=1;\r\n\tb =;", HeaderHash.withEmptySignature("DKIM-Signature: a=1;\r\n\tb = q;"));
    }
}
