package org.sealpost.signing.dkim;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One DKIM-Signature header field, parsed and checked by the rules of RFC 6376 3.5 and 6.1.1.
 * {@code identity} is the decoded i= (or "@" + d= when absent); times are seconds, -1 when absent;
 * {@code bodyLength} is l=, -1 when absent.
 */
record DkimSignature(HeaderField field, TagList tags, Algorithm algorithm, Canonicalization headerCanonicalization,
        Canonicalization bodyCanonicalization, String domain, String selector, List<String> signedHeaders,
        String identity, long bodyLength, long timestamp, long expiration, byte[] bodyHash, byte[] signature,
        boolean draft) {

    static final String HEADER = "DKIM-Signature";

    /** The DNS name of the key record (RFC 6376 3.6.2.1). */
    String keyName() {
        return selector + "._domainkey." + domain;
    }

    /** The b= value as written, without whitespace. */
    String signatureText() {
        return TagList.withoutFws(tags.get("b"));
    }

    static DkimSignature parse(HeaderField field, boolean legacy, Instant now, Duration skew) throws DkimPermanentError {
        TagList tags = TagList.parse(field.value());
        boolean draft = checkVersion(tags.get("v"), legacy);
        for (String required : List.of("a", "b", "bh", "d", "h", "s")) {
            if (!tags.has(required)) {
                throw new DkimPermanentError("signature has no " + required + "= tag (RFC 6376 3.5)");
            }
        }
        Algorithm algorithm = Algorithm.byTag(tags.get("a"));
        if (algorithm == null) {
            throw new DkimPermanentError("unsupported signature algorithm a=" + tags.get("a"));
        }
        if (algorithm == Algorithm.RSA_SHA1 && !legacy) {
            throw new DkimPermanentError("rsa-sha1 signatures are not accepted (RFC 8301 3.1)");
        }
        Canonicalization[] c = canonicalization(tags.get("c"));
        String domain = tags.get("d");
        if (!isDomain(domain)) {
            throw new DkimPermanentError("d=" + domain + " is not a domain name");
        }
        String selector = tags.get("s");
        if (!isDomain(selector)) {
            throw new DkimPermanentError("s=" + selector + " is not a valid selector");
        }
        List<String> signed = headerList(tags.get("h"));
        String identity = identity(tags.get("i"), domain);
        checkQuery(tags.get("q"), legacy);
        long length = tags.has("l") ? number(tags.get("l"), "l", 76) : -1;
        long timestamp = tags.has("t") ? number(tags.get("t"), "t", 12) : -1;
        long expiration = tags.has("x") ? number(tags.get("x"), "x", 12) : -1;
        checkTimes(timestamp, expiration, now, skew);
        byte[] bodyHash = base64(tags.get("bh"), "bh");
        byte[] signature = base64(tags.get("b"), "b");
        if (signature.length == 0) {
            throw new DkimPermanentError("signature has an empty b= tag");
        }
        return new DkimSignature(field, tags, algorithm, c[0], c[1], domain, selector, signed, identity, length,
                timestamp, expiration, bodyHash, signature, draft);
    }

    private static boolean checkVersion(String v, boolean legacy) throws DkimPermanentError {
        if ("1".equals(v)) {
            return false;
        }
        // Pre-RFC 4871 drafts wrote no v= or v=0.5; only legacy mode reads them.
        if (legacy && (v == null || "0.5".equals(v))) {
            return true;
        }
        throw new DkimPermanentError(v == null ? "signature has no v= tag (RFC 6376 3.5 requires v=1)"
                : "unsupported signature version v=" + v);
    }

    private static Canonicalization[] canonicalization(String c) throws DkimPermanentError {
        if (c == null) {
            return new Canonicalization[] {Canonicalization.SIMPLE, Canonicalization.SIMPLE};
        }
        int slash = c.indexOf('/');
        // RFC 6376 3.5: "c=relaxed" means relaxed header, simple body.
        Canonicalization header = Canonicalization.byTag(slash < 0 ? c : c.substring(0, slash));
        Canonicalization body = slash < 0 ? Canonicalization.SIMPLE : Canonicalization.byTag(c.substring(slash + 1));
        if (header == null || body == null) {
            throw new DkimPermanentError("unsupported canonicalization c=" + c);
        }
        return new Canonicalization[] {header, body};
    }

    private static List<String> headerList(String h) throws DkimPermanentError {
        List<String> names = new ArrayList<>();
        boolean from = false;
        for (String part : h.split(":", -1)) {
            String name = TagList.trim(part);
            if (name.isEmpty() || !isFieldName(name)) {
                throw new DkimPermanentError("h= has an empty or invalid header name");
            }
            from |= name.equalsIgnoreCase("From");
            names.add(name);
        }
        if (!from) {
            // RFC 6376 5.4 and 6.1.1: From MUST be signed.
            throw new DkimPermanentError("h= does not include From (RFC 6376 6.1.1)");
        }
        return List.copyOf(names);
    }

    private static String identity(String i, String domain) throws DkimPermanentError {
        if (i == null) {
            return "@" + domain;
        }
        String decoded = quotedPrintable(i);
        int at = decoded.lastIndexOf('@');
        String idDomain = at < 0 ? "" : decoded.substring(at + 1);
        if (at < 0 || !isDomain(idDomain)) {
            throw new DkimPermanentError("i=" + i + " is not an identity");
        }
        String lower = Canonicalization.asciiLower(idDomain);
        String d = Canonicalization.asciiLower(domain);
        if (!lower.equals(d) && !lower.endsWith("." + d)) {
            // RFC 6376 6.1.1: the i= domain must be d= or a subdomain of it.
            throw new DkimPermanentError("i= domain " + idDomain + " is not d=" + domain + " or a subdomain of it");
        }
        return decoded;
    }

    private static void checkQuery(String q, boolean legacy) throws DkimPermanentError {
        if (q == null) {
            return;
        }
        for (String method : q.split(":")) {
            String m = TagList.trim(method);
            if (m.equalsIgnoreCase("dns/txt") || legacy && m.equalsIgnoreCase("dns")) {
                return;
            }
        }
        throw new DkimPermanentError("unsupported query method q=" + q);
    }

    private static void checkTimes(long t, long x, Instant now, Duration skew) throws DkimPermanentError {
        long seconds = now.getEpochSecond();
        long slack = skew.getSeconds();
        if (t >= 0 && x >= 0 && x <= t) {
            // RFC 6376 3.5: x= MUST be greater than t=.
            throw new DkimPermanentError("x=" + x + " is not after t=" + t);
        }
        if (x >= 0 && seconds > x + slack) {
            throw new DkimPermanentError("signature expired at " + Instant.ofEpochSecond(x));
        }
        if (t >= 0 && t > seconds + slack) {
            throw new DkimPermanentError("signature timestamp " + Instant.ofEpochSecond(t) + " is in the future");
        }
    }

    private static long number(String value, String tag, int maxDigits) throws DkimPermanentError {
        if (value.isEmpty() || value.length() > maxDigits || !value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new DkimPermanentError(tag + "=" + value + " is not a number of at most " + maxDigits + " digits");
        }
        BigInteger n = new BigInteger(value);
        return n.bitLength() < 63 ? n.longValue() : Long.MAX_VALUE;
    }

    static byte[] base64(String value, String tag) throws DkimPermanentError {
        return TagList.base64(value, tag);
    }

    // RFC 6376 2.11 dkim-quoted-printable: "=XX" is an octet, whitespace is folding and dropped.
    static String quotedPrintable(String value) throws DkimPermanentError {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (TagList.isFws(c)) {
                continue;
            }
            if (c == '=') {
                if (i + 2 >= value.length()) {
                    throw new DkimPermanentError("bad quoted-printable in " + value);
                }
                int hi = Character.digit(value.charAt(i + 1), 16);
                int lo = Character.digit(value.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new DkimPermanentError("bad quoted-printable in " + value);
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    static boolean isDomain(String name) {
        return TagList.isDomain(name);
    }

    // RFC 5322 3.6.8: field names are printable ASCII except colon.
    private static boolean isFieldName(String name) {
        return name.chars().allMatch(ch -> ch > 32 && ch < 127 && ch != ':');
    }
}
