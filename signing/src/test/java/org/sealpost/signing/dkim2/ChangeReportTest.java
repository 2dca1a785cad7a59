package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sealpost.signing.dkim2.RecipeFixtures.TEXT;
import static org.sealpost.signing.dkim2.RecipeFixtures.TEXT_WITH_FOOTER;
import static org.sealpost.signing.dkim2.RecipeFixtures.mixed;
import static org.sealpost.signing.dkim2.RecipeFixtures.original;
import static org.sealpost.signing.dkim2.RecipeFixtures.plain;
import static org.sealpost.signing.dkim2.RecipeFixtures.read;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.signing.dkim.HeaderField;

/** The change report for the five edits of issue 15, compared directly and through the recipe as a verifier sees it. */
class ChangeReportTest {

    @TempDir
    Path dir;

    private List<String> report(byte[] earlier, byte[] later) throws Exception {
        RecipeFixtures.Version e = read(earlier);
        RecipeFixtures.Version l = read(later);
        ChangeReport direct = ChangeReport.between(e.header(), e.outline(), l.header(), l.outline());
        // The verifier's way: recreate the earlier version from the later one and its recipe.
        RecipeFixtures.Version recreated = RecipeFixtures.recreate(RecipeFixtures.between(dir, earlier, later), later);
        ChangeReport viaRecipe = ChangeReport.between(recreated.header(), recreated.outline(), l.header(), l.outline());
        assertEquals(direct.lines(), viaRecipe.lines(), "the recreated version gives another report");
        return direct.lines();
    }

    @Test
    void footerAddedToPlainText() throws Exception {
        assertEquals(List.of("changed part 1 text/plain"), report(plain("Minutes"), plain("Minutes", "-- ", "list mailing list")));
    }

    @Test
    void footerAddedToTheTextInsideMultipartAlternative() throws Exception {
        assertEquals(List.of("changed part 1.1 text/plain"), report(original(), mixed("Minutes", true, TEXT_WITH_FOOTER, false, true)));
    }

    @Test
    void subjectTagAdded() throws Exception {
        assertEquals(List.of("changed header subject"), report(original(), mixed("[list] Minutes", true, TEXT, false, true)));
    }

    @Test
    void headerFieldRemoved() throws Exception {
        assertEquals(List.of("removed header reply-to"), report(original(), mixed("Minutes", false, TEXT, false, true)));
    }

    @Test
    void attachmentRemoved() throws Exception {
        assertEquals(List.of("removed part 2 application/pdf"), report(original(), mixed("Minutes", true, TEXT, false, false)));
    }

    @Test
    void partReEncodedFromBase64ToQuotedPrintable() throws Exception {
        assertEquals(List.of("changed part 1.2 text/html"), report(original(), mixed("Minutes", true, TEXT, true, true)));
    }

    @Test
    void attachmentAdded_isNumberedInTheLaterVersion() throws Exception {
        assertEquals(List.of("added part 2 application/pdf"), report(mixed("Minutes", true, TEXT, false, false), original()));
    }

    @Test
    void severalChanges_headerFieldsFirstByName() throws Exception {
        assertEquals(List.of("removed header reply-to", "changed header subject", "changed part 1.1 text/plain",
                "removed part 2 application/pdf"), report(original(), mixed("[list] Minutes", false, TEXT_WITH_FOOTER, false, false)));
    }

    @Test
    void unsignedFieldsAndRefolding_areNoChange() throws Exception {
        byte[] earlier = plain("Minutes of the meeting");
        String later = "Received: by c.example\r\nX-Spam: no\r\nAuthentication-Results: c.example; none\r\n"
                + new String(earlier, StandardCharsets.ISO_8859_1).replace("Subject: Minutes of the meeting", "Subject: Minutes\r\n\tof   the meeting");
        RecipeFixtures.Version e = read(earlier);
        RecipeFixtures.Version l = read(later.getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(ChangeReport.between(e.header(), e.outline(), l.header(), l.outline()).isEmpty());
    }

    @Test
    void instances_pairByValueBeforePosition() {
        List<HeaderField> earlier = List.of(HeaderField.of("Comments: a"), HeaderField.of("Comments: b"));
        List<HeaderField> later = List.of(HeaderField.of("Comments: new"), HeaderField.of("Comments: a"), HeaderField.of("Comments: b"));
        assertEquals(List.of("added header comments"), ChangeReport.between(earlier, null, later, null).lines());
        List<HeaderField> changed = List.of(HeaderField.of("Comments: a"), HeaderField.of("Comments: c"));
        assertEquals(List.of("changed header comments"), ChangeReport.between(earlier, null, changed, null).lines());
    }

    @Test
    void compactForm_escapesCommentCharacters() {
        assertEquals("~h:subject", ChangeReport.compact(new ChangeReport.Change(ChangeReport.Kind.CHANGED, ChangeReport.What.HEADER, "subject", null)));
        assertEquals("-p:2:application/pdf", ChangeReport.compact(new ChangeReport.Change(ChangeReport.Kind.REMOVED, ChangeReport.What.PART, "2", "application/pdf")));
        assertEquals("+h:a\\(b\\)\\\\", ChangeReport.compact(new ChangeReport.Change(ChangeReport.Kind.ADDED, ChangeReport.What.HEADER, "a(b)\\", null)));
    }

    @Test
    void compactReport_joinsWithSpaces() throws Exception {
        RecipeFixtures.Version e = read(original());
        RecipeFixtures.Version l = read(mixed("[list] Minutes", true, TEXT, false, false));
        assertEquals("~h:subject -p:2:application/pdf", ChangeReport.between(e.header(), e.outline(), l.header(), l.outline()).compact());
    }
}
