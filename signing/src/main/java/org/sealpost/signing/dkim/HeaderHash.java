package org.sealpost.signing.dkim;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The data a signature covers in the header (RFC 6376 3.7, 5.4.2). */
public final class HeaderHash {

    private HeaderHash() {
    }

    /**
     * The canonical header fields named in {@code signedHeaders}, each instance taken from the bottom
     * up, then the DKIM-Signature field itself with its b= value emptied and no final CRLF.
     */
    public static byte[] input(List<HeaderField> fields, List<String> signedHeaders, String signatureField,
            Canonicalization canonicalization) {
        Map<String, List<HeaderField>> byName = new HashMap<>();
        for (HeaderField field : fields) {
            byName.computeIfAbsent(Canonicalization.asciiLower(field.name()), n -> new ArrayList<>()).add(field);
        }
        Map<String, Integer> used = new HashMap<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String name : signedHeaders) {
            String key = Canonicalization.asciiLower(name);
            List<HeaderField> instances = byName.getOrDefault(key, List.of());
            int taken = used.merge(key, 1, Integer::sum) - 1;
            // RFC 6376 5.4.2: the last instance first; a name listed more often than it occurs
            // contributes nothing for the extra occurrences (this is what makes oversigning work).
            if (taken < instances.size()) {
                out.writeBytes(canonicalization.header(instances.get(instances.size() - 1 - taken).raw()));
            }
        }
        byte[] self = canonicalization.header(withEmptySignature(signatureField));
        out.write(self, 0, self.length - 2);
        return out.toByteArray();
    }

    /** The field with the value of its b= tag deleted, surrounding whitespace included (RFC 6376 3.7). */
    public static String withEmptySignature(String raw) {
        int colon = raw.indexOf(':');
        StringBuilder out = new StringBuilder(raw.length()).append(raw, 0, colon + 1);
        int start = colon + 1;
        while (start <= raw.length()) {
            int semicolon = raw.indexOf(';', start);
            int end = semicolon < 0 ? raw.length() : semicolon;
            String spec = raw.substring(start, end);
            int eq = spec.indexOf('=');
            if (eq >= 0 && TagList.trim(spec.substring(0, eq)).equals("b")) {
                out.append(spec, 0, eq + 1);
            } else {
                out.append(spec);
            }
            if (semicolon < 0) {
                break;
            }
            out.append(';');
            start = semicolon + 1;
        }
        return out.toString();
    }
}
