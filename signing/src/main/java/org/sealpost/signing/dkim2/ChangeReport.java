package org.sealpost.signing.dkim2;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.sealpost.signing.dkim.HeaderField;

/**
 * What one hop changed: the header fields and MIME parts added, removed or changed between the
 * earlier version of a message and the later one.
 *
 * <p>Header fields: only the relevant ones (-06 4: those the header hash covers), compared by
 * lower-case name, instance by instance, in their -06 6.2 form, so refolding is no change. Instances
 * with equal values are paired first, wherever they stand; the rest pair up as changed, and what is
 * left over on one side was added or removed. One change per name and kind.
 *
 * <p>Parts ({@link MimeOutline} leaves) are paired in four rounds, each over the parts still unpaired:
 * <ol>
 * <li>same content, header and type: unchanged, wherever it moved (removing part 2 renumbers part 3,
 *     which is then not reported);</li>
 * <li>same decoded content and type: changed. This is how a re-encoded part (base64 to
 *     quoted-printable) is told from a new one: its transfer encoding and raw content differ, what it
 *     decodes to does not;</li>
 * <li>same part number and type: changed (a footer added to part 1 text/plain);</li>
 * <li>same type under the same parent, in document order: changed.</li>
 * </ol>
 * Earlier parts left unpaired were removed, later ones added. A part's number is the earlier one
 * for removed and changed parts and the later one for added parts. Changes come header fields first
 * (by name), then parts: changed and removed in earlier order, then added in later order.
 */
public final class ChangeReport {

    /** What happened to a header field or a part. */
    public enum Kind {
        ADDED, REMOVED, CHANGED;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether a change is to a header field or a MIME part. */
    public enum What {
        HEADER, PART;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One change: {@code name} is the lower-case field name or the part number; {@code type} the part's content type, null for header fields. */
    public record Change(Kind kind, What what, String name, String type) {
        public Change {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(what, "what");
            Objects.requireNonNull(name, "name");
        }
    }

    private final List<Change> changes;

    private ChangeReport(List<Change> changes) {
        this.changes = List.copyOf(changes);
    }

    /**
     * The changes from the earlier version to the later one. An outline may be null when its body
     * is unknown (a null body recipe, -06 5.2): then only header fields are compared.
     */
    public static ChangeReport between(List<HeaderField> earlierHeader, MimeOutline earlier, List<HeaderField> laterHeader,
            MimeOutline later) {
        Set<Change> changes = new LinkedHashSet<>();
        headerChanges(earlierHeader, laterHeader, changes);
        if (earlier != null && later != null) {
            PartPairing.changes(earlier.parts(), later.parts(), changes);
        }
        return new ChangeReport(new ArrayList<>(changes));
    }

    public List<Change> changes() {
        return changes;
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** The form of {@code sealpost dkim2 verify --changes}: {@code changed header subject}, {@code removed part 2 application/pdf}. */
    public static String line(Change change) {
        String text = change.kind().word() + " " + change.what().word() + " " + change.name();
        return change.type() == null ? text : text + " " + change.type();
    }

    /** Every change in the form of {@link #line(Change)}. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>(changes.size());
        changes.forEach(c -> lines.add(line(c)));
        return lines;
    }

    /**
     * A short form for a comment of an Authentication-Results field (RFC 8601 2.2): {@code +}, {@code -}
     * or {@code ~} for added, removed, changed, then {@code h:NAME} or {@code p:PATH:TYPE}; "(", ")"
     * and "\" in names are escaped as RFC 5322 quoted-pairs so that the comment stays well formed.
     */
    public static String compact(Change change) {
        char sign = switch (change.kind()) {
            case ADDED -> '+';
            case REMOVED -> '-';
            case CHANGED -> '~';
        };
        String body = change.what() == What.HEADER ? "h:" + change.name() : "p:" + change.name() + ":" + change.type();
        StringBuilder out = new StringBuilder().append(sign);
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '(' || c == ')' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** All changes in the compact form, separated by spaces; empty when nothing changed. */
    public String compact() {
        StringBuilder out = new StringBuilder();
        for (Change change : changes) {
            out.append(out.length() == 0 ? "" : " ").append(compact(change));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return String.join("\n", lines());
    }

    private static void headerChanges(List<HeaderField> earlier, List<HeaderField> later, Set<Change> changes) {
        Map<String, List<String>> before = valuesByName(earlier);
        Map<String, List<String>> after = valuesByName(later);
        TreeMap<String, Boolean> names = new TreeMap<>();
        before.keySet().forEach(k -> names.put(k, true));
        after.keySet().forEach(k -> names.put(k, true));
        for (String name : names.keySet()) {
            List<String> e = before.getOrDefault(name, List.of());
            List<String> l = after.getOrDefault(name, List.of());
            if (e.equals(l)) {
                continue;
            }
            // Equal values pair first, wherever they stand: count them, in linear time, since a
            // header section may hold thousands of fields of one name.
            Map<String, Integer> unpaired = new HashMap<>();
            e.forEach(v -> unpaired.merge(v, 1, Integer::sum));
            int pairedByValue = 0;
            for (String value : l) {
                Integer left = unpaired.get(value);
                if (left != null && left > 0) {
                    unpaired.put(value, left - 1);
                    pairedByValue++;
                }
            }
            int earlierLeft = e.size() - pairedByValue;
            int laterLeft = l.size() - pairedByValue;
            int paired = Math.min(earlierLeft, laterLeft);
            if (paired > 0) {
                changes.add(new Change(Kind.CHANGED, What.HEADER, name, null));
            }
            if (laterLeft > paired) {
                changes.add(new Change(Kind.ADDED, What.HEADER, name, null));
            }
            if (earlierLeft > paired) {
                changes.add(new Change(Kind.REMOVED, What.HEADER, name, null));
            }
        }
    }

    /** The -06 6.2 values of the relevant fields by lower-case name, bottom up. */
    private static Map<String, List<String>> valuesByName(List<HeaderField> header) {
        Map<String, List<String>> names = new TreeMap<>();
        for (HeaderField field : header) {
            if (RecipeFieldNames.relevant(field.name())) {
                names.computeIfAbsent(RecipeFieldNames.key(field.name()), k -> new ArrayList<>())
                        .add(RecipeFieldNames.canonicalValue(field));
            }
        }
        names.values().forEach(Collections::reverse);
        return names;
    }
}
