package org.sealpost.signing.dkim2;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sealpost.signing.dkim.HeaderField;
import org.sealpost.signing.dkim.MessageReader;

/**
 * Makes the recipe that recreates an earlier version from a later one (-06 9.1), for a Reviser.
 *
 * <p>Header fields: for each relevant name (-06 4) whose instances differ in their -06 6.2 form, a
 * header recipe that copies the later instances kept (longest common subsequence, bottom up) and
 * writes the others as d strings, unfolded; an empty recipe when the earlier version had none.
 *
 * <p>Body: the two files are read as 64-bit line hashes (never the lines themselves), diffed with
 * {@link LineDiff}, and the earlier file is read a second time for the lines to write as d strings.
 * The recipe is then applied to the later file and the result's SHA-256 compared with the earlier
 * body's, so a hash collision can never give a wrong recipe. It falls back to {@code b: null}
 * (-06 9.1 allows it) when:
 * <ul>
 * <li>a version has more than {@value #MAX_LINES} lines: the hashes take 8 octets a line;</li>
 * <li>more than {@value #MAX_EDITS} lines must be inserted or deleted: the diff's trace grows as the
 *     square of that, 4 MB at the limit;</li>
 * <li>the d strings would exceed {@value #MAX_LITERAL} octets: the recipe travels base64 in a header
 *     field, and a verifier holds the header section in memory (ours 1 MiB);</li>
 * <li>a line to write holds octets that are not UTF-8 or a bare CR or LF, which a JSON d string
 *     cannot recreate (-06 5.2).</li>
 * </ul>
 */
final class Revision {

    static final int MAX_LINES = 1_000_000;
    static final int MAX_EDITS = 1_000;
    static final int MAX_LITERAL = 256 * 1024;
    static final int MAX_HEADER = 1 << 20;
    /** Instances of one name beyond which the header LCS (quadratic) is skipped and all are written. */
    private static final long MAX_HEADER_PAIRS = 1_000_000;

    private Revision() {
    }

    static Recipe between(Path earlierMessage, Path laterMessage) throws IOException, RecipeException {
        LineHashes earlierLines = new LineHashes(MAX_LINES);
        List<HeaderField> earlierHeader = read(earlierMessage, earlierLines);
        LineHashes laterLines = new LineHashes(MAX_LINES);
        List<HeaderField> laterHeader = read(laterMessage, laterLines);

        Map<String, List<RecipeStep>> header = headerRecipes(earlierHeader, laterHeader);
        byte[] earlierDigest = earlierLines.sha256Digest();
        boolean sameBody = earlierLines.lines() == laterLines.lines()
                && MessageDigest.isEqual(earlierDigest, laterLines.sha256Digest());
        if (sameBody) {
            if (header.isEmpty()) {
                throw new RecipeException("nothing to recreate: the relevant header fields and the body of both versions"
                        + " are the same (-06 9.1 needs no new Message-Instance)");
            }
            return new Recipe(header, null, false);
        }
        List<RecipeStep> body = bodyRecipe(earlierMessage, laterMessage, earlierLines, laterLines, earlierDigest);
        return new Recipe(header.isEmpty() ? null : header, body, body == null);
    }

    // ---- header fields

    private static Map<String, List<RecipeStep>> headerRecipes(List<HeaderField> earlier, List<HeaderField> later)
            throws RecipeException {
        Map<String, List<HeaderField>> before = byName(earlier);
        Map<String, List<HeaderField>> after = byName(later);
        TreeMap<String, List<RecipeStep>> recipes = new TreeMap<>();
        TreeMap<String, Boolean> names = new TreeMap<>();
        before.keySet().forEach(k -> names.put(k, true));
        after.keySet().forEach(k -> names.put(k, true));
        for (String key : names.keySet()) {
            List<String> e = canonical(before.getOrDefault(key, List.of()));
            List<String> l = canonical(after.getOrDefault(key, List.of()));
            if (!e.equals(l)) {
                RecipeJson.checkFieldName(key); // a malformed name that changed cannot be written
                recipes.put(key, headerSteps(key, before.getOrDefault(key, List.of()), e, l));
            }
        }
        return recipes;
    }

    /** Relevant fields by lower-case name, each list bottom up (the -06 5.1 numbering: index 0 is 1). */
    private static Map<String, List<HeaderField>> byName(List<HeaderField> header) {
        Map<String, List<HeaderField>> names = new TreeMap<>();
        for (HeaderField field : header) {
            if (RecipeFieldNames.relevant(field.name())) {
                names.computeIfAbsent(RecipeFieldNames.key(field.name()), k -> new ArrayList<>()).add(field);
            }
        }
        names.values().forEach(Collections::reverse);
        return names;
    }

    private static List<String> canonical(List<HeaderField> fields) {
        List<String> values = new ArrayList<>(fields.size());
        fields.forEach(f -> values.add(RecipeFieldNames.canonicalValue(f)));
        return values;
    }

    private static List<RecipeStep> headerSteps(String key, List<HeaderField> earlierFields, List<String> earlier,
            List<String> later) throws RecipeException {
        int[] kept = (long) earlier.size() * later.size() <= MAX_HEADER_PAIRS ? commonSubsequence(earlier, later) : none(earlier.size());
        List<RecipeStep> steps = new ArrayList<>();
        int i = 0;
        while (i < earlier.size()) {
            if (kept[i] >= 0) {
                int start = kept[i];
                int end = start;
                while (i + 1 < earlier.size() && kept[i + 1] == end + 1) {
                    i++;
                    end++;
                }
                steps.add(RecipeStep.copy(start + 1L, end + 1L));
                i++;
            } else {
                List<String> values = new ArrayList<>();
                while (i < earlier.size() && kept[i] < 0) {
                    values.add(dString(key, i + 1, earlierFields.get(i)));
                    i++;
                }
                steps.add(RecipeStep.data(values));
            }
        }
        return steps;
    }

    /** The field's unfolded value as JSON text (-06 5.1 d), or why it cannot be one. */
    private static String dString(String key, int number, HeaderField field) throws RecipeException {
        String value = RecipeFieldNames.unfold(field.value());
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new RecipeException("the earlier " + key + " field " + number + " (from the bottom) holds a bare CR or LF,"
                    + " which a d string cannot recreate (-06 5.1)");
        }
        String text = utf8(value.getBytes(StandardCharsets.ISO_8859_1));
        if (text == null) {
            throw new RecipeException("the earlier " + key + " field " + number + " (from the bottom) holds octets that are"
                    + " not UTF-8, which a JSON d string cannot recreate (-06 5.1)");
        }
        return text;
    }

    private static int[] none(int n) {
        int[] kept = new int[n];
        java.util.Arrays.fill(kept, -1);
        return kept;
    }

    /** For each earlier item, the later item it is kept as in a longest common subsequence, or -1. */
    private static int[] commonSubsequence(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] length = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                length[i][j] = a.get(i).equals(b.get(j)) ? length[i + 1][j + 1] + 1 : Math.max(length[i + 1][j], length[i][j + 1]);
            }
        }
        int[] kept = none(n);
        int i = 0;
        int j = 0;
        while (i < n && j < m) {
            if (a.get(i).equals(b.get(j))) {
                kept[i++] = j++;
            } else if (length[i + 1][j] >= length[i][j + 1]) {
                i++;
            } else {
                j++;
            }
        }
        return kept;
    }

    // ---- body

    private static List<RecipeStep> bodyRecipe(Path earlierMessage, Path laterMessage, LineHashes earlier, LineHashes later,
            byte[] earlierDigest) throws IOException, RecipeException {
        if (earlier.tooMany() || later.tooMany()) {
            return null;
        }
        int[] kept = LineDiff.kept(earlier.hashes(), earlier.count(), later.hashes(), later.count(), MAX_EDITS);
        if (kept == null) {
            return null;
        }
        boolean[] literal = new boolean[kept.length];
        for (int i = 0; i < kept.length; i++) {
            literal[i] = kept[i] < 0;
        }
        LiteralLines literals = new LiteralLines(literal);
        read(earlierMessage, literals);
        if (literals.unusable) {
            return null;
        }
        List<RecipeStep> steps = new ArrayList<>();
        int i = 0;
        while (i < kept.length) {
            if (kept[i] >= 0) {
                int start = kept[i];
                int end = start;
                while (i + 1 < kept.length && kept[i + 1] == end + 1) {
                    i++;
                    end++;
                }
                steps.add(RecipeStep.copy(start + 1L, end + 1L));
                i++;
            } else {
                List<String> values = new ArrayList<>();
                while (i < kept.length && kept[i] < 0) {
                    values.add(literals.text.get(i));
                    i++;
                }
                steps.add(RecipeStep.data(values));
            }
        }
        // The diff compared 64-bit hashes: prove the recipe by applying it to the later file.
        LineHashes recreated = new LineHashes(0);
        read(laterMessage, new BodyRecipe(steps, recreated));
        if (recreated.lines() != earlier.lines() || !MessageDigest.isEqual(recreated.sha256Digest(), earlierDigest)) {
            return null;
        }
        return steps;
    }

    /** Collects, on a second reading, the earlier lines the recipe writes as d strings. */
    private static final class LiteralLines implements BodyLines {
        private final boolean[] wanted;
        private final Map<Integer, String> text = new TreeMap<>();
        private int line;
        private long octets;
        private boolean unusable;

        LiteralLines(boolean[] wanted) {
            this.wanted = wanted;
        }

        @Override
        public void line(byte[] data, int offset, int length) {
            int index = line++;
            if (unusable || index >= wanted.length || !wanted[index]) {
                return;
            }
            octets += length;
            String value = null;
            if (octets <= MAX_LITERAL) {
                byte[] copy = java.util.Arrays.copyOfRange(data, offset, offset + length);
                value = utf8(copy);
            }
            if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                unusable = true;
                text.clear();
                return;
            }
            text.put(index, value);
        }

        @Override
        public void end() {
        }
    }

    // ---- reading

    private static String utf8(byte[] octets) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(octets)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Reads a message file: its header fields are returned, its body lines go to {@code body}. */
    static List<HeaderField> read(Path message, BodyLines body) throws IOException, RecipeException {
        List<List<HeaderField>> header = new ArrayList<>(1);
        boolean[] tooLarge = {false};
        BodyLineSplitter splitter = new BodyLineSplitter(body);
        MessageReader reader = new MessageReader(new MessageReader.Listener() {
            @Override
            public void headers(List<HeaderField> fields) {
                header.add(fields);
            }

            @Override
            public void body(byte[] data, int offset, int length) {
                splitter.feed(data, offset, length);
            }

            @Override
            public void headersTooLarge(int limit) {
                tooLarge[0] = true;
            }
        }, MAX_HEADER);
        try (InputStream in = Files.newInputStream(message)) {
            byte[] chunk = new byte[64 * 1024];
            for (int n; (n = in.read(chunk)) > 0; ) {
                reader.feed(chunk, 0, n);
            }
            reader.finish();
            splitter.finish();
        } catch (RecipeException.Unchecked e) {
            throw new RecipeException(message + ": " + e.getMessage());
        }
        if (tooLarge[0]) {
            throw new RecipeException(message + ": the header section is larger than " + MAX_HEADER + " octets");
        }
        return header.get(0);
    }
}
