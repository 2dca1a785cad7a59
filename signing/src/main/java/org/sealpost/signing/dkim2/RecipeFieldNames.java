package org.sealpost.signing.dkim2;

import java.util.Locale;
import java.util.Set;
import org.sealpost.signing.dkim.HeaderField;

/**
 * Which header fields recipes and the change report look at (-06 4, 6.2), and the -06 6.2 form in
 * which two instances of a field are the same.
 */
final class RecipeFieldNames {

    // -06 4.1, the fields that are never signed; and -06 6.2, the DKIM2 fields themselves, which the
    // header hash leaves out (they are signed by the DKIM2-Signature instead).
    private static final Set<String> UNSIGNED = Set.of(
            "apparently-to", "arc-authentication-results", "arc-message-signature", "arc-seal",
            "authentication-results", "auto-submitted", "delivered-to", "dkim-signature",
            "dl-expansion-history", "original-recipient", "received", "return-path",
            "sio-label-history", "vbr-info", "x400-received", "x400-trace",
            "message-instance", "dkim2-signature");

    private RecipeFieldNames() {
    }

    /** The name as recipes and hashes write it (-06 5.1, 6.2: lower case). */
    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * Whether the -06 6.2 header hash covers fields of this name, so that a change to them needs a
     * recipe (-06 5.1). A field without a name is no field (RFC 5322 3.6.8 needs one character);
     * MessageReader gives one, empty, after a header section that ends in CRLF.
     */
    static boolean relevant(String name) {
        String key = key(name);
        return !key.isEmpty() && !UNSIGNED.contains(key) && !key.startsWith("received-") && !key.startsWith("x-");
    }

    /** The value with its folding removed (-06 5.1: fields are treated as unwrapped). */
    static String unfold(String value) {
        return value.indexOf('\r') < 0 ? value : value.replace("\r\n", "");
    }

    /**
     * The value as the -06 6.2 hash sees it: unfolded, each run of WSP one SP, no WSP at the start
     * (after the colon) or at the end.
     */
    static String canonicalValue(HeaderField field) {
        String value = unfold(field.value());
        StringBuilder out = new StringBuilder(value.length());
        boolean space = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t') {
                space = true;
                continue;
            }
            if (space && out.length() > 0) {
                out.append(' ');
            }
            space = false;
            out.append(c);
        }
        return out.toString();
    }
}
