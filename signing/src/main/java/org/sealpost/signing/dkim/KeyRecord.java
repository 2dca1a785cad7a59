package org.sealpost.signing.dkim;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A DKIM key record (RFC 6376 3.6.1, RFC 8463 4), parsed strictly. {@code hashes} is the h= list
 * (empty: any hash); {@code granularity} is the RFC 4871 g= value (null when absent), which only
 * legacy mode enforces, since RFC 6376 removed it.
 */
public record KeyRecord(KeyType type, PublicKey key, int bits, List<String> hashes, boolean testing, boolean strict,
        String granularity) {

    /**
     * Decoded records by their text, one cache per mode. Reading a record is a function of its text
     * alone, so a record fetched again or served from the DNS cache decodes to the same key: keeping
     * the outcome saves the base64 and DER decoding, and the provider's own conversion of the key,
     * for every message signed with a key seen before. Records that do not parse are kept too, with
     * their reason, so a broken record costs no more than a good one. The bound keeps a flood of
     * distinct selectors from growing it without limit.
     */
    private static final Cache<String, Parsed> STRICT = Caffeine.newBuilder().maximumSize(4096).build();
    private static final Cache<String, Parsed> LEGACY = Caffeine.newBuilder().maximumSize(1024).build();

    private record Parsed(KeyRecord key, String error) {
    }

    public static KeyRecord parse(String text, boolean legacy) throws DkimPermanentError {
        Parsed parsed = (legacy ? LEGACY : STRICT).get(text, t -> decodeRecord(t, legacy));
        if (parsed.key() == null) {
            throw new DkimPermanentError(parsed.error());
        }
        return parsed.key();
    }

    private static Parsed decodeRecord(String text, boolean legacy) {
        try {
            return new Parsed(read(text, legacy), null);
        } catch (DkimPermanentError e) {
            return new Parsed(null, e.getMessage());
        }
    }

    private static KeyRecord read(String text, boolean legacy) throws DkimPermanentError {
        TagList tags;
        try {
            tags = TagList.parse(text);
        } catch (DkimPermanentError e) {
            throw new DkimPermanentError("key record " + e.getMessage());
        }
        if (tags.has("v") && !(tags.first().equals("v") && tags.get("v").equals("DKIM1"))) {
            // RFC 6376 3.6.1: v= is optional, but if present it MUST be first and equal "DKIM1".
            throw new DkimPermanentError(tags.first().equals("v") ? "unsupported key record version v=" + tags.get("v")
                    : "key record v= is not the first tag");
        }
        KeyType type = tags.has("k") ? KeyType.byTag(tags.get("k")) : KeyType.RSA;
        if (type == null) {
            throw new DkimPermanentError("unsupported key type k=" + tags.get("k"));
        }
        List<String> hashes = tags.has("h") ? list(tags.get("h")) : List.of();
        if (tags.has("s")) {
            List<String> services = list(tags.get("s"));
            if (!services.contains("*") && !services.contains("email")) {
                // RFC 6376 3.6.1: a key for other services must not verify email.
                throw new DkimPermanentError("key service type s=" + tags.get("s") + " does not include email");
            }
        }
        List<String> flags = tags.has("t") ? list(tags.get("t")) : List.of();
        if (!tags.has("p")) {
            throw new DkimPermanentError("key record has no p= tag");
        }
        String p = TagList.withoutFws(tags.get("p"));
        if (p.isEmpty()) {
            // RFC 6376 3.6.1: an empty p= means the key has been revoked.
            throw new DkimPermanentError("key revoked");
        }
        PublicKey key = decode(type, DkimSignature.base64(p, "key record p"));
        int bits = DkimKeys.bits(key);
        int minimum = legacy ? 512 : 1024;
        if (type == KeyType.RSA && bits < minimum) {
            throw new DkimPermanentError("RSA key of " + bits + " bits is shorter than " + minimum
                    + (legacy ? " (legacy mode)" : " (RFC 8301 3.2)"));
        }
        return new KeyRecord(type, key, bits, hashes, flags.contains("y"), flags.contains("s"), tags.get("g"));
    }

    /** Of several records at the name, the first that is a valid key (RFC 6376 6.1.2 step 4 leaves the choice). */
    public static KeyRecord firstUsable(List<String> records, boolean legacy) throws DkimPermanentError {
        DkimPermanentError first = null;
        for (String record : records) {
            try {
                return parse(record, legacy);
            } catch (DkimPermanentError e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    /** Whether this key may verify a signature made with {@code algorithm}: k= and h= (RFC 6376 3.6.1). */
    public void checkAlgorithm(Algorithm algorithm) throws DkimPermanentError {
        if (algorithm.keyType != type) {
            throw new DkimPermanentError("key type k=" + type.tag() + " does not match a=" + algorithm.tag);
        }
        if (!hashes.isEmpty() && !hashes.contains(algorithm.hashName)) {
            throw new DkimPermanentError("key h=" + String.join(":", hashes) + " does not allow " + algorithm.hashName);
        }
    }

    /** Whether this key may verify the signature (RFC 6376 3.6.1, 6.1.2). */
    void checkFor(DkimSignature signature, boolean legacy) throws DkimPermanentError {
        checkAlgorithm(signature.algorithm());
        String identity = signature.identity();
        int at = identity.lastIndexOf('@');
        if (strict && !identity.substring(at + 1).equalsIgnoreCase(signature.domain())) {
            // RFC 6376 3.6.1 t=s: the i= domain must be d= exactly, not a subdomain.
            throw new DkimPermanentError("key has t=s but i= domain is not d=" + signature.domain());
        }
        if (legacy && granularity != null && !granularityMatches(identity.substring(0, at))) {
            throw new DkimPermanentError("key granularity g=" + granularity + " does not match i=" + identity
                    + " (RFC 4871 3.6.1)");
        }
    }

    // RFC 4871 3.6.1: g= matches the local part of i=, with "*" matching any run; an empty g= matches nothing.
    private boolean granularityMatches(String localPart) {
        if (granularity.isEmpty()) {
            return false;
        }
        String[] parts = granularity.split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(localPart).matches();
    }

    private static PublicKey decode(KeyType type, byte[] p) throws DkimPermanentError {
        try {
            return type == KeyType.RSA ? DkimKeys.rsaPublic(p) : DkimKeys.ed25519Public(p);
        } catch (GeneralSecurityException e) {
            throw new DkimPermanentError("key record p= is not a valid " + type.tag() + " public key: " + e.getMessage());
        }
    }

    private static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(":")) {
            items.add(Canonicalization.asciiLower(TagList.trim(item)));
        }
        return items;
    }
}
