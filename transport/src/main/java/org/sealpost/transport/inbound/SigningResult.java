package org.sealpost.transport.inbound;

import java.util.List;
import java.util.Locale;

/**
 * What the signing policy of one From domain's MX found (docs/xkeys.md "Signing policy from the key set").
 *
 * @param domain the From domain
 * @param result pass or fail when a held key set names DKIM selectors for the domain; temperror when
 *     its MX hosts could not be looked up
 * @param mx the pin's key ("host:port") whose key set names the selectors, "" for a temperror
 * @param selectors the selectors the held key sets name for the domain
 * @param signed whether a DKIM signature by d=domain passed
 * @param reason why, for a temperror ("" otherwise)
 */
record SigningResult(String domain, Result result, String mx, List<String> selectors, boolean signed, String reason) {

    /** The result tokens of the property. */
    enum Result {
        PASS, FAIL, TEMPERROR;

        String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The property name: RFC 8601 2.3, ptype "policy", a local policy applied to the result it follows. */
    static final String PROPERTY = "policy.xkeys-signing";

    SigningResult {
        selectors = List.copyOf(selectors);
    }

    /** {@code policy.xkeys-signing=fail (COMMENT)}: appended to the dmarc resinfo of the domain. */
    String property() {
        String comment = switch (result) {
            case PASS -> "the key set of " + mx + " lists s=" + String.join(",", selectors) + " for " + domain;
            case FAIL -> "the key set of " + mx + " lists s=" + String.join(",", selectors) + " for " + domain
                    + "; no passing DKIM signature by " + domain;
            case TEMPERROR -> "cannot look up the MX hosts of " + domain + ": " + reason;
        };
        return PROPERTY + "=" + result.token() + " " + AuthenticationResults.comment(comment);
    }

    /** The refusal under enforce: names the domain, the MX whose key set asked for signatures, and its selectors. */
    String rejectReply() {
        int colon = mx.lastIndexOf(':');
        return "550 5.7.1 Error: mail from " + domain + " must carry a passing DKIM signature by " + domain
                + ": the XKEYS key set of its MX " + mx.substring(0, colon) + " (port " + mx.substring(colon + 1)
                + ") names the DKIM selector" + (selectors.size() == 1 ? " " : "s ") + String.join(", ", selectors);
    }

    /** The deferral under enforce, when the MX lookup failed and no signature by the domain passed. */
    String deferReply() {
        String clean = reason.replaceAll("[^\\x20-\\x7e]", "?");
        return "451 4.7.0 Error: cannot look up the MX hosts of " + domain + " now to learn its signing policy ("
                + (clean.length() > 200 ? clean.substring(0, 200) + "..." : clean) + "); try again later";
    }
}
