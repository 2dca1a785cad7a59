package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6376 3.4: simple and relaxed, for header fields and for bodies streamed in any chunking. */
class CanonicalizationTest {

    // RFC 6376 3.4.5, the example message.
    private static final String HEADER = "A: X\r\nB : Y\t\r\n\tZ  \r\n";
    private static final String BODY = " C \r\nD \t E\r\n\r\n\r\n";

    private static String body(Canonicalization c, String body) {
        return body(c, body.getBytes(StandardCharsets.ISO_8859_1), body.length());
    }

    /** The body fed in chunks of {@code chunk} octets. */
    private static String body(Canonicalization c, byte[] body, int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BodyCanonicalizer canonicalizer = c.body((data, offset, length) -> out.write(data, offset, length));
        for (int i = 0; i < body.length; i += Math.max(1, chunk)) {
            canonicalizer.update(body, i, Math.min(Math.max(1, chunk), body.length - i));
        }
        canonicalizer.finish();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String headers(Canonicalization c, String section) {
        StringBuilder out = new StringBuilder();
        for (HeaderField f : MessageReader.split(section.substring(0, section.length() - 2))) {
            out.append(new String(c.header(f.raw()), StandardCharsets.ISO_8859_1));
        }
        return out.toString();
    }

    @Test
    void rfc6376Example_relaxed() {
        assertEquals("a:X\r\nb:Y Z\r\n", headers(Canonicalization.RELAXED, HEADER));
        assertEquals(" C\r\nD E\r\n", body(Canonicalization.RELAXED, BODY));
    }

    @Test
    void rfc6376Example_simple() {
        assertEquals(HEADER, headers(Canonicalization.SIMPLE, HEADER));
        assertEquals(" C \r\nD \t E\r\n", body(Canonicalization.SIMPLE, BODY));
    }

    @Test
    void body_anyChunking_givesTheSameResult() {
        byte[] body = " a \t b\r\n\r\n \t\r\nc\r\r\n\r\n  \r\n".getBytes(StandardCharsets.ISO_8859_1);
        for (Canonicalization c : Canonicalization.values()) {
            String whole = body(c, body, body.length);
            for (int chunk = 1; chunk < body.length; chunk++) {
                assertEquals(whole, body(c, body, chunk), c + " in chunks of " + chunk);
            }
        }
    }

    @Test
    void relaxedBody_trailingBlankLinesAndWhitespace_areIgnored() {
        assertEquals("x\r\n", body(Canonicalization.RELAXED, "x \t\r\n \r\n\t\r\n\r\n"));
    }

    @Test
    void relaxedBody_blankLinesInTheMiddle_areKept() {
        assertEquals("x\r\n\r\n\r\ny\r\n", body(Canonicalization.RELAXED, "x\r\n \r\n\t\r\ny"));
    }

    @Test
    void simpleBody_trailingBlankLines_areIgnoredButWhitespaceIsKept() {
        assertEquals("x \r\n \r\n", body(Canonicalization.SIMPLE, "x \r\n \r\n\r\n\r\n"));
    }

    @Test
    void emptyBody_isOneCrlfWhenSimpleAndNothingWhenRelaxed() throws Exception {
        assertEquals("\r\n", body(Canonicalization.SIMPLE, ""));
        assertEquals("\r\n", body(Canonicalization.SIMPLE, "\r\n\r\n"));
        assertEquals("", body(Canonicalization.RELAXED, ""));
        assertEquals("", body(Canonicalization.RELAXED, " \r\n\r\n"));
        // The well-known hashes of the two empty bodies (RFC 6376 3.4.3, 3.4.4 and errata).
        assertEquals("frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=", sha256(body(Canonicalization.SIMPLE, "")));
        assertEquals("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", sha256(body(Canonicalization.RELAXED, "")));
    }

    @Test
    void bodyWithoutFinalCrlf_getsOne() {
        assertEquals("a\r\nb\r\n", body(Canonicalization.SIMPLE, "a\r\nb"));
        assertEquals("a\r\nb\r\n", body(Canonicalization.RELAXED, "a\r\nb  "));
    }

    @Test
    void bareCr_isContentNotALineEnd() {
        assertEquals("a\rb\r\n", body(Canonicalization.RELAXED, "a\rb\r\n"));
        assertEquals("a\r\r\n", body(Canonicalization.SIMPLE, "a\r"));
    }

    @Test
    void relaxedHeader_keepsEightBitOctetsAndLowercasesOnlyAscii() {
        String raw = "SUBJECT:  \u00C9t\u00E9 \t ok ";
        assertEquals("subject:\u00C9t\u00E9 ok", Canonicalization.relaxedHeader(raw));
    }

    @Test
    void relaxedHeader_emptyValue_isNameAndColon() {
        assertEquals("x-empty:", Canonicalization.relaxedHeader("X-Empty: \r\n \t"));
    }

    @Test
    void headerSplit_joinsContinuationLines() {
        List<HeaderField> fields = MessageReader.split("A: 1\r\n 2\r\nB:3\r\n\tx");
        assertEquals(List.of("A", "B"), fields.stream().map(HeaderField::name).toList());
        assertEquals("A: 1\r\n 2", fields.get(0).raw());
    }

    private static String sha256(String s) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.ISO_8859_1)));
    }
}
