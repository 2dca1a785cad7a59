package org.sealpost.signing.dkim;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sealpost.dnssec.Security;

/**
 * The outcome for one DKIM-Signature field.
 *
 * @param verdict         pass, fail, neutral, temperror, permerror (RFC 8601 2.7.1)
 * @param reason          why, for anything but pass ("" for a plain pass)
 * @param domain          d= ("" when the field could not be read)
 * @param selector        s=
 * @param algorithm       a= as written
 * @param identity        the i= identity, decoded; "@" + d= when the signature has no i=
 * @param signaturePrefix the first 8 characters of b=, for header.b (RFC 6008)
 * @param keySecurity     the DNSSEC status of the key record's answer, when it was looked up
 * @param testingKey      the key record carries t=y: the domain is testing DKIM (RFC 6376 3.6.1)
 * @param partialBody     l= was given and the body has content after the signed length (RFC 6376 8.2)
 */
public record DkimResult(Verdict verdict, String reason, String domain, String selector, String algorithm,
        String identity, String signaturePrefix, Optional<Security> keySecurity, boolean testingKey,
        boolean partialBody) {

    public boolean passed() {
        return verdict == Verdict.PASS;
    }

    /**
     * This result as an Authentication-Results resinfo (RFC 8601 2.2, RFC 6008), for example
     * {@code dkim=pass header.d=example.com header.s=sel header.a=rsa-sha256 header.b=abcdefgh}.
     */
    public String toAuthenticationResults() {
        StringBuilder out = new StringBuilder("dkim=").append(verdict.token());
        property(out, "header.d", domain);
        property(out, "header.s", selector);
        property(out, "header.a", algorithm);
        property(out, "header.b", signaturePrefix);
        List<String> comment = new ArrayList<>();
        if (!reason.isEmpty()) {
            comment.add(reason);
        }
        if (testingKey) {
            comment.add("testing key");
        }
        if (partialBody) {
            comment.add("l= leaves part of the body unsigned");
        }
        // How far the key record could be trusted: SECURE only when DNSSEC validated it.
        keySecurity.ifPresent(security -> comment.add("key " + security));
        if (!comment.isEmpty()) {
            out.append(" (").append(escapeComment(String.join("; ", comment))).append(')');
        }
        return out.toString();
    }

    static DkimResult of(Verdict verdict, String reason, DkimSignature sig, Security security, boolean testing,
            boolean partial) {
        return new DkimResult(verdict, reason, sig.domain(), sig.selector(), sig.tags().get("a"), sig.identity(),
                prefix(sig.signatureText()), Optional.ofNullable(security), testing, partial);
    }

    /** A result for a field that could not be parsed: the tags that can be read are reported anyway. */
    static DkimResult unparsed(Verdict verdict, String reason, HeaderField field) {
        TagList tags;
        try {
            tags = TagList.parse(field.value());
        } catch (DkimPermanentError e) {
            tags = new TagList(java.util.Map.of());
        }
        String d = orEmpty(tags.get("d"));
        return new DkimResult(verdict, reason, d, orEmpty(tags.get("s")), orEmpty(tags.get("a")),
                tags.has("i") ? tags.get("i") : d.isEmpty() ? "" : "@" + d,
                prefix(TagList.withoutFws(orEmpty(tags.get("b")))), Optional.empty(), false, false);
    }

    static DkimResult message(Verdict verdict, String reason) {
        return new DkimResult(verdict, reason, "", "", "", "", "", Optional.empty(), false, false);
    }

    private static String prefix(String b) {
        return b.length() <= 8 ? b : b.substring(0, 8);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static void property(StringBuilder out, String name, String value) {
        if (!value.isEmpty()) {
            out.append(' ').append(name).append('=').append(isToken(value) ? value : quoted(value));
        }
    }

    // RFC 2045 5.1 token: no SP, CTLs or tspecials; anything else goes in a quoted-string.
    private static boolean isToken(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\r\\n]", "") + '"';
    }

    private static String escapeComment(String text) {
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replaceAll("[\\r\\n]", " ");
    }
}
