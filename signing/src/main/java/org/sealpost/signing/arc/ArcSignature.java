package org.sealpost.signing.arc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.sealpost.signing.dkim.Algorithm;
import org.sealpost.signing.dkim.Canonicalization;
import org.sealpost.signing.dkim.DkimPermanentError;
import org.sealpost.signing.dkim.HeaderField;
import org.sealpost.signing.dkim.TagList;

/**
 * An ARC-Message-Signature (RFC 8617 4.1.2: a DKIM-Signature without v= and with i= the instance) or an
 * ARC-Seal (4.1.3: i=, cv=, a=, b=, d=, s=, t=, no h=), parsed strictly with the DKIM tag-list rules.
 * For a seal, {@code signedHeaders} is empty, {@code bodyHash} null and the canonicalization relaxed;
 * for a message signature {@code cv} is null.
 */
record ArcSignature(HeaderField field, int instance, Algorithm algorithm, Canonicalization headerCanonicalization,
        Canonicalization bodyCanonicalization, String domain, String selector, List<String> signedHeaders,
        byte[] bodyHash, byte[] signature, ArcStatus cv) {

    static final String SEAL = "ARC-Seal";
    static final String MESSAGE_SIGNATURE = "ARC-Message-Signature";

    /** The DNS name of the key record, as for DKIM (RFC 8617 4.1.2, RFC 6376 3.6.2.1). */
    String keyName() {
        return selector + "._domainkey." + domain;
    }

    boolean isSeal() {
        return cv != null;
    }

    String describe() {
        return (isSeal() ? SEAL : MESSAGE_SIGNATURE) + " i=" + instance + " (d=" + domain + " s=" + selector + ")";
    }

    static ArcSignature parseMessageSignature(HeaderField field, int instance, boolean legacy, Instant now,
            Duration skew) throws DkimPermanentError {
        TagList tags = TagList.parse(field.value());
        require(tags, List.of("i", "a", "b", "bh", "d", "h", "s"), "RFC 8617 4.1.2");
        Canonicalization[] c = canonicalization(tags.get("c"));
        List<String> signed = headerList(tags.get("h"));
        checkTimes(tags, now, skew);
        return new ArcSignature(field, instance, algorithm(tags.get("a"), legacy), c[0], c[1], domain(tags, "d"),
                domain(tags, "s"), signed, TagList.base64(tags.get("bh"), "bh"), signature(tags), null);
    }

    static ArcSignature parseSeal(HeaderField field, int instance, boolean legacy, Instant now, Duration skew)
            throws DkimPermanentError {
        TagList tags = TagList.parse(field.value());
        require(tags, List.of("i", "a", "b", "cv", "d", "s"), "RFC 8617 4.1.3");
        if (tags.has("h")) {
            // RFC 8617 4.1.3: an ARC-Seal with h= MUST be treated as failing.
            throw new DkimPermanentError("the seal has an h= tag, which RFC 8617 4.1.3 forbids");
        }
        ArcStatus cv = ArcStatus.byTag(tags.get("cv"));
        if (cv == null) {
            throw new DkimPermanentError("cv=" + tags.get("cv") + " is not none, pass or fail (RFC 8617 4.4)");
        }
        checkTimes(tags, now, skew);
        // RFC 8617 5.1.1: the seal always uses relaxed header canonicalization.
        return new ArcSignature(field, instance, algorithm(tags.get("a"), legacy), Canonicalization.RELAXED,
                Canonicalization.RELAXED, domain(tags, "d"), domain(tags, "s"), List.of(), null, signature(tags), cv);
    }

    /** The i= value of an ARC-Seal or ARC-Message-Signature, or -1 when it is missing or not a number. */
    static int instanceOf(HeaderField field) {
        try {
            return instance(TagList.parse(field.value()).get("i"));
        } catch (DkimPermanentError e) {
            return -1;
        }
    }

    /** 1 to 50 (RFC 8617 4.2.1), else -1; at most 3 digits are read so no number overflows. */
    static int instance(String value) {
        if (value == null || value.isEmpty() || value.length() > 3 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Integer.parseInt(value);
    }

    private static void require(TagList tags, List<String> names, String rule) throws DkimPermanentError {
        for (String name : names) {
            if (!tags.has(name)) {
                throw new DkimPermanentError("no " + name + "= tag (" + rule + ")");
            }
        }
    }

    private static Algorithm algorithm(String a, boolean legacy) throws DkimPermanentError {
        Algorithm algorithm = Algorithm.byTag(a);
        if (algorithm == null) {
            throw new DkimPermanentError("unsupported signature algorithm a=" + a);
        }
        if (algorithm == Algorithm.RSA_SHA1 && !legacy) {
            throw new DkimPermanentError("rsa-sha1 is not accepted (RFC 8301 3.1)");
        }
        return algorithm;
    }

    private static String domain(TagList tags, String tag) throws DkimPermanentError {
        String value = tags.get(tag);
        if (!TagList.isDomain(value)) {
            throw new DkimPermanentError(tag + "=" + value + " is not a domain name");
        }
        return value;
    }

    private static byte[] signature(TagList tags) throws DkimPermanentError {
        byte[] b = TagList.base64(tags.get("b"), "b");
        if (b.length == 0) {
            throw new DkimPermanentError("empty b= tag");
        }
        return b;
    }

    private static Canonicalization[] canonicalization(String c) throws DkimPermanentError {
        if (c == null) {
            // RFC 8617 4.1.2 keeps DKIM's semantics, so an absent c= is simple/simple (RFC 6376 3.5).
            return new Canonicalization[] {Canonicalization.SIMPLE, Canonicalization.SIMPLE};
        }
        int slash = c.indexOf('/');
        Canonicalization header = Canonicalization.byTag(slash < 0 ? c : c.substring(0, slash));
        Canonicalization body = slash < 0 ? Canonicalization.SIMPLE : Canonicalization.byTag(c.substring(slash + 1));
        if (header == null || body == null) {
            throw new DkimPermanentError("unsupported canonicalization c=" + c);
        }
        return new Canonicalization[] {header, body};
    }

    private static List<String> headerList(String h) throws DkimPermanentError {
        List<String> names = new ArrayList<>();
        for (String part : h.split(":", -1)) {
            String name = TagList.trim(part);
            if (name.isEmpty() || !name.chars().allMatch(ch -> ch > 32 && ch < 127)) {
                throw new DkimPermanentError("h= has an empty or invalid header name");
            }
            if (name.equalsIgnoreCase(SEAL)) {
                // RFC 8617 4.1.2: the ARC-Seal fields MUST NOT be signed by the message signature.
                throw new DkimPermanentError("h= includes ARC-Seal, which RFC 8617 4.1.2 forbids");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private static void checkTimes(TagList tags, Instant now, Duration skew) throws DkimPermanentError {
        long t = tags.has("t") ? number(tags.get("t"), "t") : -1;
        long x = tags.has("x") ? number(tags.get("x"), "x") : -1;
        long seconds = now.getEpochSecond();
        if (t >= 0 && t > seconds + skew.getSeconds()) {
            throw new DkimPermanentError("timestamp t=" + t + " (" + Instant.ofEpochSecond(t) + ") is in the future");
        }
        if (x >= 0 && seconds > x + skew.getSeconds()) {
            throw new DkimPermanentError("expired at " + Instant.ofEpochSecond(x));
        }
    }

    private static long number(String value, String tag) throws DkimPermanentError {
        if (value.isEmpty() || value.length() > 12 || !value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new DkimPermanentError(tag + "=" + value + " is not a number of at most 12 digits");
        }
        return Long.parseLong(value);
    }
}
