package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sealpost.signing.dkim2.RecipeFixtures.TEXT;
import static org.sealpost.signing.dkim2.RecipeFixtures.message;
import static org.sealpost.signing.dkim2.RecipeFixtures.mixed;
import static org.sealpost.signing.dkim2.RecipeFixtures.original;
import static org.sealpost.signing.dkim2.RecipeFixtures.read;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link MimeOutline}: part numbers, types and hashes from a streamed body (RFC 2045, 2046). */
class MimeOutlineTest {

    private static MimeOutline outline(byte[] message) throws RecipeException {
        return read(message).outline();
    }

    @Test
    void nestedMultipart_isNumberedAsImapDoes() throws Exception {
        assertEquals("1.1 text/plain, 1.2 text/html, 2 application/pdf", outline(original()).toString());
    }

    @Test
    void messageWithoutMime_isOnePlainTextPart() throws Exception {
        MimeOutline outline = outline(message("Subject: x", "", "hello", ""));
        assertEquals("1 text/plain", outline.toString());
        assertEquals(1, outline.parts().get(0).lines());
    }

    @Test
    void preambleAndEpilogue_belongToNoPart() throws Exception {
        byte[] a = message("Content-Type: multipart/mixed; boundary=b", "", "preamble", "--b", "", "x", "--b--", "epilogue", "");
        byte[] b = message("Content-Type: multipart/mixed; boundary=b", "", "other preamble", "--b", "", "x", "--b--", "");
        assertEquals(outline(a).parts(), outline(b).parts());
        assertEquals(1, outline(a).parts().get(0).lines());
    }

    @Test
    void missingCloseDelimiter_endsTheLastPartAtTheEnd() throws Exception {
        MimeOutline outline = outline(message("Content-Type: multipart/mixed; boundary=b", "", "--b", "", "x", "--b",
                "Content-Type: image/png", "", "png", "png", ""));
        assertEquals("1 text/plain, 2 image/png", outline.toString());
        assertEquals(2, outline.parts().get(1).lines());
    }

    @Test
    void outerBoundary_endsAnInnerMultipartWithoutItsClose() throws Exception {
        MimeOutline outline = outline(message("Content-Type: multipart/mixed; boundary=outer", "", "--outer",
                "Content-Type: multipart/alternative; boundary=inner", "", "--inner", "", "text", "--outer",
                "Content-Type: application/zip", "", "zip", "--outer--", ""));
        assertEquals("1.1 text/plain, 2 application/zip", outline.toString());
    }

    @Test
    void delimiterWithTransportPadding_isADelimiter_butNotWithOtherText() throws Exception {
        MimeOutline outline = outline(message("Content-Type: multipart/mixed; boundary=\"b\"", "", "--b \t", "", "x",
                "--bx", "--b--  ", ""));
        assertEquals("1 text/plain", outline.toString());
        assertEquals(2, outline.parts().get(0).lines(), "--bx is content");
    }

    @Test
    void messageRfc822_isOnePart() throws Exception {
        MimeOutline outline = outline(message("Content-Type: multipart/mixed; boundary=b", "", "--b",
                "Content-Type: message/rfc822", "", "Content-Type: multipart/mixed; boundary=c", "", "--c", "", "inner", "--c--",
                "--b--", ""));
        assertEquals("1 message/rfc822", outline.toString());
    }

    @Test
    void digest_defaultsToMessageRfc822() throws Exception {
        MimeOutline outline = outline(message("Content-Type: multipart/digest; boundary=d", "", "--d", "", "Subject: one", "", "body",
                "--d--", ""));
        assertEquals("1 message/rfc822", outline.toString());
    }

    @Test
    void multipartWithoutBoundary_isOneOpaquePart() throws Exception {
        assertEquals("1 multipart/mixed", outline(message("Content-Type: multipart/mixed", "", "--b", "x", "")).toString());
    }

    @Test
    void unreadableContentType_isTextPlain() throws Exception {
        assertEquals("1 text/plain", outline(message("Content-Type: ;;;", "", "x", "")).toString());
        assertEquals("1 text/plain", outline(message("Content-Type: (comment) Text/Plain (more); charset=\"a;b\"", "", "x", "")).toString());
    }

    @Test
    void reEncodedPart_keepsItsDecodedHash() throws Exception {
        MimeOutline.Part base64 = outline(original()).parts().get(1);
        MimeOutline.Part quotedPrintable = outline(mixed("Minutes", true, TEXT, true, true)).parts().get(1);
        assertEquals(base64.decodedHash(), quotedPrintable.decodedHash());
        assertNotEquals(base64.contentHash(), quotedPrintable.contentHash());
        assertNotEquals(base64.headerHash(), quotedPrintable.headerHash());
    }

    @Test
    void quotedPrintableSoftBreaks_andOctets_decode() throws Exception {
        byte[] qp = message("Content-Transfer-Encoding: quoted-printable", "", "Gr=C3=BC=", "=C3=9Fe  ", "next", "");
        byte[] plain = message("", "Gr\u00c3\u00bc\u00c3\u009fe", "next", "");
        assertEquals(outline(plain).parts().get(0).contentHash(), outline(qp).parts().get(0).decodedHash());
    }

    @Test
    void tooDeep_isRefused() {
        StringBuilder m = new StringBuilder("Content-Type: multipart/mixed; boundary=b0\r\n\r\n");
        for (int i = 1; i <= MimeOutline.MAX_DEPTH + 1; i++) {
            m.append("--b").append(i - 1).append("\r\nContent-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n");
        }
        RecipeException e = assertThrows(RecipeException.class, () -> outline(m.toString().getBytes()));
        assertTrue(e.getMessage().startsWith("MIME parts nested deeper than 20 levels"), e.getMessage());
    }

    @Test
    void tooManyParts_isRefused() {
        StringBuilder m = new StringBuilder("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
        for (int i = 0; i < MimeOutline.MAX_PARTS + 1; i++) {
            m.append("--b\r\n\r\nx\r\n");
        }
        RecipeException e = assertThrows(RecipeException.class, () -> outline(m.toString().getBytes()));
        assertEquals("more than 1000 MIME parts (at part 1000)", e.getMessage());
    }

    @Test
    void longPartHeader_isRefused() {
        String field = "Content-Description: " + "x".repeat(MimeOutline.MAX_PART_HEADER);
        RecipeException e = assertThrows(RecipeException.class,
                () -> outline(message("Content-Type: multipart/mixed; boundary=b", "", "--b", field, "", "x", "--b--", "")));
        assertEquals("the header of MIME part 1 is longer than 65536 octets", e.getMessage());
    }

    @Test
    void partHeaderFolding_isNoChange() throws Exception {
        List<MimeOutline.Part> a = outline(message("Content-Type: multipart/mixed; boundary=b", "", "--b",
                "Content-Type: text/plain;", " charset=utf-8", "", "x", "--b--", "")).parts();
        List<MimeOutline.Part> b = outline(message("Content-Type: multipart/mixed; boundary=b", "", "--b",
                "Content-Type: text/plain; charset=utf-8", "", "x", "--b--", "")).parts();
        assertEquals(a, b);
    }
}
