package org.sealpost.transport.inbound;

import java.util.List;
import org.sealpost.signing.authres.AuthenticationResultsPayload;

/**
 * An Authentication-Results header field (RFC 8601 2.2): our authserv-id, then one resinfo per
 * check in the order they ran (spf, dkim per signature, arc, dmarc).
 */
record AuthenticationResults(String authservId, List<String> results) {

    static final String NAME = "Authentication-Results";

    AuthenticationResults {
        results = List.copyOf(results);
    }

    /** The field as it is prepended: one resinfo a line (RFC 5322 2.2.3 folding), ending in CRLF. */
    String field() {
        return NAME + ": " + authservId + ";\r\n\t" + String.join(";\r\n\t", results) + "\r\n";
    }

    /** The same field unfolded on one line, without CRLF: what {@code sealpost auth check} prints. */
    String line() {
        return NAME + ": " + authservId + "; " + String.join("; ", results);
    }

    /**
     * RFC 8601 5: whether an arriving field's value names {@code authservId} (compared without
     * regard to case) as its authserv-id, the first value after any comments.
     */
    static boolean claims(String value, String authservId) {
        return AuthenticationResultsPayload.parse(value).claims(authservId);
    }

    /**
     * A comment for a resinfo (RFC 5322 3.2.2): parentheses and backslashes escaped, one line of
     * printable ASCII (text from DNS records may hold anything; the field must not).
     */
    static String comment(String text) {
        String escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)");
        return "(" + Findings.NOT_PRINTABLE.matcher(escaped).replaceAll("?") + ")";
    }
}
