package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sealpost.signing.dkim2.RecipeFixtures.TEXT;
import static org.sealpost.signing.dkim2.RecipeFixtures.TEXT_WITH_FOOTER;
import static org.sealpost.signing.dkim2.RecipeFixtures.between;
import static org.sealpost.signing.dkim2.RecipeFixtures.mixed;
import static org.sealpost.signing.dkim2.RecipeFixtures.original;
import static org.sealpost.signing.dkim2.RecipeFixtures.plain;
import static org.sealpost.signing.dkim2.RecipeFixtures.read;
import static org.sealpost.signing.dkim2.RecipeFixtures.recreate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Recipe#between}: the recipe a Reviser writes recreates the earlier version exactly. */
class RecipeBetweenTest {

    @TempDir
    Path dir;

    /** The recipe from between(), through its r= form, applied to the later version, gives the earlier one. */
    private Recipe roundTrip(byte[] earlier, byte[] later) throws Exception {
        Recipe recipe = between(dir, earlier, later);
        Recipe decoded = Recipe.decode(recipe.encode());
        assertEquals(recipe, decoded, "decode(encode()) differs");
        RecipeFixtures.Version expected = read(earlier);
        RecipeFixtures.Version recreated = recreate(decoded, later);
        assertEquals(expected.relevantHeader(), recreated.relevantHeader(), "header fields");
        assertEquals(expected.lines(), recreated.lines(), "body lines");
        return recipe;
    }

    @Test
    void footerAddedToPlainText_copiesTheBodyAndDropsTheFooter() throws Exception {
        Recipe recipe = roundTrip(plain("Minutes"), plain("Minutes", "-- ", "list mailing list"));
        assertEquals("{\"b\":[{\"c\":[1,3]}]}", recipe.toString());
        assertFalse(recipe.changesHeader());
    }

    @Test
    void footerAddedInsideMultipartAlternative_recreatesTheBody() throws Exception {
        Recipe recipe = roundTrip(original(), mixed("Minutes", true, TEXT_WITH_FOOTER, false, true));
        assertTrue(recipe.changesBody());
        assertFalse(recipe.bodyLost());
        assertFalse(recipe.toString().contains("\"d\""), "only copies are needed: " + recipe);
    }

    @Test
    void subjectTagAdded_isOneDataStep() throws Exception {
        Recipe recipe = roundTrip(original(), mixed("[list] Minutes", true, TEXT, false, true));
        assertEquals("{\"h\":{\"subject\":[{\"d\":[\" Minutes\"]}]}}", recipe.toString());
    }

    @Test
    void headerFieldRemoved_isWrittenBack() throws Exception {
        Recipe recipe = roundTrip(original(), mixed("Minutes", false, TEXT, false, true));
        assertEquals("{\"h\":{\"reply-to\":[{\"d\":[\" alice@example.com\"]}]}}", recipe.toString());
    }

    @Test
    void headerFieldAdded_isRemovedByAnEmptyRecipe() throws Exception {
        byte[] earlier = plain("Minutes");
        String later = new String(earlier, StandardCharsets.ISO_8859_1).replace("Subject:", "List-Id: <list.example.org>\r\nSubject:");
        Recipe recipe = roundTrip(earlier, later.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("{\"h\":{\"list-id\":[]}}", recipe.toString());
    }

    @Test
    void attachmentRemoved_writesItsLinesBack() throws Exception {
        Recipe recipe = roundTrip(original(), mixed("Minutes", true, TEXT, false, false));
        assertTrue(recipe.toString().contains("minutes.pdf"), recipe.toString());
    }

    @Test
    void partReEncoded_recreatesTheBase64() throws Exception {
        roundTrip(original(), mixed("Minutes", true, TEXT, true, true));
    }

    @Test
    void unsignedFieldsOnly_needNoRecipe() throws Exception {
        byte[] earlier = plain("Minutes");
        byte[] later = ("Received: by c.example; Tue, 1 Dec 2026 10:01:00 +0000\r\nX-Spam: no\r\n"
                + "Authentication-Results: c.example; dkim2=pass\r\n" + new String(earlier, StandardCharsets.ISO_8859_1))
                .getBytes(StandardCharsets.ISO_8859_1);
        RecipeException e = assertThrows(RecipeException.class, () -> between(dir, earlier, later));
        assertTrue(e.getMessage().startsWith("nothing to recreate"), e.getMessage());
    }

    @Test
    void refoldedField_isNoChange() throws Exception {
        byte[] earlier = plain("Minutes of the meeting");
        String later = new String(earlier, StandardCharsets.ISO_8859_1).replace("Subject: Minutes of the meeting", "Subject: Minutes\r\n\tof  the meeting");
        byte[] laterBytes = (later + "P.S.\r\n").getBytes(StandardCharsets.ISO_8859_1);
        Recipe recipe = between(dir, earlier, laterBytes);
        assertFalse(recipe.changesHeader(), recipe.toString());
    }

    @Test
    void earlierHeaderValueNotUtf8_cannotBeWritten() throws Exception {
        byte[] earlier = plain("Gr\u00fc\u00dfe"); // ISO-8859-1 octets, not UTF-8
        byte[] later = plain("[list] Gr\u00fc\u00dfe");
        RecipeException e = assertThrows(RecipeException.class, () -> between(dir, earlier, later));
        assertTrue(e.getMessage().contains("subject field 1") && e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    @Test
    void earlierBodyLineNotUtf8_givesANullBodyRecipe() throws Exception {
        byte[] earlier = plain("Minutes", "Gr\u00fc\u00dfe");
        byte[] later = plain("Minutes", "Regards");
        Recipe recipe = between(dir, earlier, later);
        assertTrue(recipe.bodyLost(), recipe.toString());
        assertEquals("{\"b\":null}", recipe.toString());
    }

    @Test
    void utf8BodyLines_areWrittenAsText() throws Exception {
        byte[] earlier = message("Subject: x", "", "Gr\u00c3\u00bc\u00c3\u009fe", "");
        byte[] later = message("Subject: x", "", "Regards", "");
        Recipe recipe = roundTrip(earlier, later);
        assertEquals("{\"b\":[{\"d\":[\"Gr\u00fc\u00dfe\"]}]}", recipe.toString());
    }

    @Test
    void emptiedBody_isAnEmptyBodyRecipeTheOtherWay() throws Exception {
        Recipe recipe = roundTrip(message("Subject: x", "", ""), message("Subject: x", "", "now a body", ""));
        assertEquals("{\"b\":[]}", recipe.toString());
    }

    @Test
    void bodyWithoutFinalCrlf_recreatesItsLines() throws Exception {
        roundTrip(message("Subject: x", "", "one", "two"), message("Subject: x", "", "one", "inserted", "two"));
    }

    @Test
    void tooManyChangedLines_giveANullBodyRecipe() throws Exception {
        StringBuilder earlier = new StringBuilder("Subject: x\r\n\r\n");
        StringBuilder later = new StringBuilder("Subject: x\r\n\r\n");
        for (int i = 0; i < Revision.MAX_EDITS; i++) {
            earlier.append("old line ").append(i).append("\r\n");
            later.append("new line ").append(i).append("\r\n");
        }
        Recipe recipe = between(dir, earlier.toString().getBytes(StandardCharsets.US_ASCII), later.toString().getBytes(StandardCharsets.US_ASCII));
        assertTrue(recipe.bodyLost(), "2,000 edits are past the limit of " + Revision.MAX_EDITS);
    }

    /** A megabyte body with a line changed in the middle and a footer: two copies and one line of data. */
    @Test
    void megabyteBody_isDiffedAndAppliedStreaming() throws Exception {
        Random random = new Random(15);
        StringBuilder body = new StringBuilder();
        List<String> lines = new ArrayList<>();
        while (body.length() < 1_200_000) {
            String line = Base64.getEncoder().encodeToString(bytes(random, 57));
            lines.add(line);
            body.append(line).append("\r\n");
        }
        String header = "From: a@example.com\r\nSubject: big\r\n\r\n";
        byte[] earlier = (header + body).getBytes(StandardCharsets.US_ASCII);
        List<String> changed = new ArrayList<>(lines);
        changed.set(lines.size() / 2, "changed in the middle");
        changed.add("-- footer");
        byte[] later = (header + String.join("\r\n", changed) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        Recipe recipe = between(dir, earlier, later);
        int middle = lines.size() / 2;
        String expected = "{\"b\":[{\"c\":[1," + middle + "]},{\"d\":[\"" + lines.get(middle) + "\"]},{\"c\":["
                + (middle + 2) + "," + lines.size() + "]}]}";
        assertEquals(expected, recipe.toString());

        // Applied in 1,000-octet chunks, the recreated body is hashed, not kept.
        MessageDigest recreated = MessageDigest.getInstance("SHA-256");
        BodyLines sink = recipe.earlierBody(new BodyLines() {
            @Override
            public void line(byte[] data, int offset, int length) {
                recreated.update(data, offset, length);
                recreated.update(new byte[] {'\r', '\n'});
            }

            @Override
            public void end() {
            }
        });
        BodyLineSplitter splitter = new BodyLineSplitter(sink, 1000);
        byte[] laterBody = (String.join("\r\n", changed) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < laterBody.length; i += 1000) {
            splitter.feed(laterBody, i, Math.min(1000, laterBody.length - i));
        }
        splitter.finish();
        assertEquals(Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body.toString().getBytes(StandardCharsets.US_ASCII))),
                Base64.getEncoder().encodeToString(recreated.digest()));
    }

    /** Random messages with random edits: whatever between() writes recreates the earlier version. */
    @Test
    void randomEdits_recreateTheEarlierVersion() throws Exception {
        Random random = new Random(20261202);
        int lost = 0;
        for (int n = 0; n < 300; n++) {
            List<String> header = randomHeader(random);
            List<String> body = randomBody(random);
            List<String> laterHeader = editHeader(random, header);
            List<String> laterBody = editBody(random, body);
            boolean finalCrlf = random.nextBoolean();
            byte[] earlier = compose(header, body, true);
            byte[] later = compose(laterHeader, laterBody, finalCrlf);
            Recipe recipe;
            try {
                recipe = between(dir, earlier, later);
            } catch (RecipeException e) {
                assertTrue(e.getMessage().startsWith("nothing to recreate"), "case " + n + ": " + e.getMessage());
                assertEquals(read(earlier).relevantHeader(), read(later).relevantHeader(), "case " + n);
                continue;
            }
            if (recipe.bodyLost()) {
                lost++;
                assertTrue(body.stream().anyMatch(l -> l.contains("\u00ff")), "case " + n + ": a null body recipe without a reason");
                continue;
            }
            RecipeFixtures.Version expected = read(earlier);
            RecipeFixtures.Version recreated = recreate(Recipe.decode(recipe.encode()), later);
            assertEquals(expected.relevantHeader(), recreated.relevantHeader(), "case " + n + " header, recipe " + recipe);
            assertEquals(expected.lines(), recreated.lines(), "case " + n + " body, recipe " + recipe);
        }
        assertTrue(lost < 100, lost + " null body recipes of 300");
    }

    /** The line diff keeps a longest common subsequence: pairs equal, ascending, as many as a quadratic LCS finds. */
    @Test
    void lineDiff_keepsALongestCommonSubsequence() {
        Random random = new Random(5);
        for (int n = 0; n < 500; n++) {
            long[] a = random.longs(random.nextInt(40), 0, 4).toArray();
            long[] b = random.longs(random.nextInt(40), 0, 4).toArray();
            int[] kept = LineDiff.kept(a, a.length, b, b.length, 1000);
            int count = 0;
            int last = -1;
            for (int i = 0; i < kept.length; i++) {
                if (kept[i] >= 0) {
                    assertEquals(a[i], b[kept[i]], "case " + n + ": a kept line differs");
                    assertTrue(kept[i] > last, "case " + n + ": kept lines do not ascend");
                    last = kept[i];
                    count++;
                }
            }
            assertEquals(lcs(a, b), count, "case " + n + ": not a longest common subsequence");
        }
    }

    private static int lcs(long[] a, long[] b) {
        int[][] t = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                t[i][j] = a[i] == b[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
            }
        }
        return t[0][0];
    }

    private static final String[] NAMES = {"Subject", "To", "Cc", "Comments", "Keywords", "List-Id", "X-Spam", "Received"};
    private static final String[] WORDS = {"alpha", "beta", "", "  spaced  out ", "Gr\u00c3\u00bc\u00c3\u009fe", "\u00ff", "--b", "."};

    private static List<String> randomHeader(Random random) {
        List<String> header = new ArrayList<>();
        header.add("From: a@example.com");
        for (int i = random.nextInt(8); i > 0; i--) {
            header.add(NAMES[random.nextInt(NAMES.length)] + ": " + word(random).replace("\u00ff", "z") + (random.nextInt(4) == 0 ? "\r\n\tfolded" : ""));
        }
        return header;
    }

    private static List<String> randomBody(Random random) {
        List<String> body = new ArrayList<>();
        for (int i = random.nextInt(30); i > 0; i--) {
            body.add(random.nextInt(5) == 0 ? "" : word(random) + " " + random.nextInt(10));
        }
        return body;
    }

    private static List<String> editHeader(Random random, List<String> header) {
        List<String> out = new ArrayList<>(header);
        for (int i = random.nextInt(4); i > 0; i--) {
            int at = 1 + random.nextInt(out.size());
            switch (random.nextInt(3)) {
                case 0 -> out.add(at, NAMES[random.nextInt(NAMES.length)] + ": added " + random.nextInt(3));
                case 1 -> {
                    if (at < out.size()) {
                        out.remove(at);
                    }
                }
                default -> {
                    if (at < out.size()) {
                        out.set(at, out.get(at) + " [tag]");
                    }
                }
            }
        }
        return out;
    }

    private static List<String> editBody(Random random, List<String> body) {
        List<String> out = new ArrayList<>(body);
        for (int i = random.nextInt(6); i > 0; i--) {
            int at = random.nextInt(out.size() + 1);
            switch (random.nextInt(3)) {
                case 0 -> out.add(at, "inserted " + random.nextInt(3));
                case 1 -> {
                    if (at < out.size()) {
                        out.remove(at);
                    }
                }
                default -> {
                    if (at < out.size()) {
                        out.set(at, out.get(at).toUpperCase());
                    }
                }
            }
        }
        if (random.nextInt(10) == 0) {
            out.add("");
        }
        return out;
    }

    private static byte[] compose(List<String> header, List<String> body, boolean finalCrlf) {
        StringBuilder out = new StringBuilder();
        header.forEach(h -> out.append(h).append("\r\n"));
        out.append("\r\n");
        for (int i = 0; i < body.size(); i++) {
            out.append(body.get(i));
            if (i < body.size() - 1 || finalCrlf) {
                out.append("\r\n");
            }
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String word(Random random) {
        return WORDS[random.nextInt(WORDS.length)];
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] message(String... lines) {
        return RecipeFixtures.message(lines);
    }
}
