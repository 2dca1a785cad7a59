package org.sealpost.signing.dkim2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.sealpost.signing.dkim.HeaderField;
import org.sealpost.signing.dkim.TagList;

/**
 * The recipes of one Message-Instance (-06 5, 7.2): how to recreate the earlier version of the
 * header fields and the body from the later one. Read from an r= value with {@link #decode}, written
 * with {@link #encode}, made for a Reviser with {@link #between}.
 *
 * <p>Reading is strict: every rule of the -06 5 schema is checked, and each error names the step and
 * the field ("h.subject step 2 ..."). Unknown top-level members are ignored (-06 2).
 */
public final class Recipe {

    private final Map<String, List<RecipeStep>> header;
    private final List<RecipeStep> body;
    private final boolean bodyLost;

    Recipe(Map<String, List<RecipeStep>> header, List<RecipeStep> body, boolean bodyLost) {
        if (header == null && body == null && !bodyLost) {
            throw new IllegalArgumentException("a recipe recreates the header fields, the body or both (-06 5)");
        }
        if (header != null && header.isEmpty()) {
            throw new IllegalArgumentException("h needs a member (-06 5)");
        }
        this.header = header == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(header));
        this.body = body == null ? null : List.copyOf(body);
        this.bodyLost = bodyLost;
    }

    /**
     * Reads an r= value (-06 7.2): base64, folding whitespace inside allowed and ignored (-06 2.14),
     * of the JSON object of -06 5.
     */
    public static Recipe decode(String rValue) throws RecipeException {
        String base64 = TagList.withoutFws(rValue);
        checkBase64(base64);
        byte[] json;
        try {
            json = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new RecipeException("r= is not base64: " + e.getMessage());
        }
        RecipeJson.Parts parts = RecipeJson.read(json);
        return new Recipe(parts.header(), parts.body(), parts.bodyLost());
    }

    // -06 2.14: base64string is the base64 alphabet, padded with "=" to a multiple of four.
    private static void checkBase64(String text) throws RecipeException {
        if (text.isEmpty()) {
            throw new RecipeException("r= is empty");
        }
        int padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
        for (int i = 0; i < text.length() - padding; i++) {
            char c = text.charAt(i);
            boolean alphabet = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/';
            if (!alphabet) {
                throw new RecipeException("r= is not base64: '" + (c >= 32 && c < 127 ? String.valueOf(c) : "\\x" + Integer.toHexString(c))
                        + "' at character " + (i + 1));
            }
        }
        if (text.length() % 4 != 0) {
            throw new RecipeException("r= is not padded base64: " + text.length() + " characters (-06 2.14: padding is required)");
        }
    }

    /** The r= value: base64 of the compact JSON, h before b, without folding. */
    public String encode() {
        return Base64.getEncoder().encodeToString(json());
    }

    /** The JSON object itself, UTF-8. */
    byte[] json() {
        return RecipeJson.write(new RecipeJson.Parts(header, body, bodyLost));
    }

    /** Whether the recipe names header fields (an h member). */
    public boolean changesHeader() {
        return header != null;
    }

    /** Whether the body changed: a b member, with steps or null. */
    public boolean changesBody() {
        return body != null || bodyLost;
    }

    /** Whether b is null: the hop said the earlier body cannot be recreated (-06 5.2). */
    public boolean bodyLost() {
        return bodyLost;
    }

    /** The lower-case names of the header fields the recipe recreates; empty without h. */
    public Set<String> headerNames() {
        return header == null ? Set.of() : header.keySet();
    }

    /**
     * The earlier header section from the later one, both top to bottom. Fields of names the recipe
     * does not name stay as they are; the recreated fields of a name take the place of that name's
     * topmost later field (see {@link HeaderRecipes}). A d step writes {@code name:value} with the
     * lower-case name, as -06 5.1 says, and the value's UTF-8 octets.
     *
     * @throws RecipeException when a c step copies a field the later header does not have
     */
    public List<HeaderField> earlierHeader(List<HeaderField> later) throws RecipeException {
        return header == null ? List.copyOf(later) : List.copyOf(HeaderRecipes.apply(header, later));
    }

    /**
     * A sink for the later body's lines that passes the earlier body's lines on to {@code earlier},
     * streaming. Without a body recipe it is {@code earlier} itself. A c step past the last line is
     * reported from {@link BodyLines#end()} as {@link RecipeException.Unchecked}.
     *
     * @throws IllegalStateException when b is null: check {@link #bodyLost()} first
     */
    public BodyLines earlierBody(BodyLines earlier) {
        Objects.requireNonNull(earlier, "earlier");
        if (bodyLost) {
            throw new IllegalStateException("the recipe says the earlier body cannot be recreated (b is null, -06 5.2)");
        }
        return body == null ? earlier : new BodyRecipe(body, earlier);
    }

    /**
     * The recipe that recreates {@code earlierMessage} from {@code laterMessage}, for a Reviser
     * (-06 9.1); both are files of the whole message with CRLF line ends. See {@link Revision} for
     * how it is made and for its limits.
     *
     * @throws RecipeException when the two versions have the same relevant header fields and body
     *     (no Message-Instance is needed), or when a changed header field cannot be written as a
     *     d string (octets that are not UTF-8, a bare CR or LF)
     */
    public static Recipe between(Path earlierMessage, Path laterMessage) throws IOException, RecipeException {
        return Revision.between(earlierMessage, laterMessage);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Recipe r && bodyLost == r.bodyLost && Objects.equals(header, r.header)
                && Objects.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(header, body, bodyLost);
    }

    /** The JSON text. */
    @Override
    public String toString() {
        return new String(json(), StandardCharsets.UTF_8);
    }
}
