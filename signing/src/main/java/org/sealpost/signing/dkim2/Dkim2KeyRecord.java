package org.sealpost.signing.dkim2;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.DkimPermanentError;
import org.sealpost.signing.dkim.TagList;

/**
 * A DKIM2 key record (dns-00 3.4.1), parsed strictly: v=DKIM1 first if present, k= (default rsa),
 * p= (empty: revoked), t= flags y and s. The retired h=, n= and s= are ignored, as -06 11.5 asks.
 * Errors read as the tail of the -06 11.5 messages ("has a syntax error: ...", "has been revoked").
 */
public record Dkim2KeyRecord(String keyType, PublicKey key, int bits, boolean testing, boolean strict) {

    /** -06 3.2: verifiers MUST take 1024 to 2048 bits and MAY take more; 8192 bounds the work one key costs. */
    static final int MIN_RSA_BITS = 1024;
    static final int MAX_RSA_BITS = 8192;
    private static final BigInteger EXPONENT = BigInteger.valueOf(65537);

    public static Dkim2KeyRecord parse(String text) throws Dkim2PermanentError {
        TagList tags;
        try {
            tags = TagList.parse(text);
        } catch (DkimPermanentError e) {
            throw new Dkim2PermanentError("has a syntax error: " + e.getMessage());
        }
        if (tags.has(Dkim2Wire.KEY_V) && !(firstTag(tags).equals(Dkim2Wire.KEY_V)
                && tags.get(Dkim2Wire.KEY_V).equals(Dkim2Wire.KEY_VERSION))) {
            // dns-00 3.4.1: v= MUST be first and "DKIM1"; a record that begins otherwise is discarded.
            throw new Dkim2PermanentError("has a syntax error: v=" + tags.get(Dkim2Wire.KEY_V)
                    + (firstTag(tags).equals(Dkim2Wire.KEY_V) ? " is not DKIM1" : " is not the first tag"));
        }
        String k = tags.has(Dkim2Wire.KEY_K) ? tags.get(Dkim2Wire.KEY_K) : Dkim2Wire.KEY_RSA;
        Dkim2Algorithm algorithm = Dkim2Algorithm.byKeyType(k);
        if (algorithm == null) {
            throw new Dkim2PermanentError("has an unknown key type k=" + k);
        }
        if (!tags.has(Dkim2Wire.KEY_P)) {
            throw new Dkim2PermanentError("has a syntax error: no p= tag");
        }
        String p = TagList.withoutFws(tags.get(Dkim2Wire.KEY_P));
        if (p.isEmpty()) {
            throw new Dkim2PermanentError("has been revoked");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(p);
        } catch (IllegalArgumentException e) {
            throw new Dkim2PermanentError("has a syntax error: p= is not base64");
        }
        PublicKey key = decode(algorithm, raw);
        int bits = algorithm == Dkim2Algorithm.RSA_SHA256 ? DkimKeys.bits(key) : 0;
        List<String> flags = tags.has(Dkim2Wire.KEY_T) ? List.of(tags.get(Dkim2Wire.KEY_T).split(":")) : List.of();
        return new Dkim2KeyRecord(algorithm.keyType(), key, bits, flags.stream().anyMatch(f -> f.strip().equals("y")),
                flags.stream().anyMatch(f -> f.strip().equals("s")));
    }

    /** Whether this key verifies {@code algorithm}'s signatures (-06 8.9: k= must match the sig-name). */
    public boolean fits(Dkim2Algorithm algorithm) {
        return algorithm.keyType().equalsIgnoreCase(keyType);
    }

    private static PublicKey decode(Dkim2Algorithm algorithm, byte[] raw) throws Dkim2PermanentError {
        try {
            return switch (algorithm) {
                case RSA_SHA256 -> rsa(raw);
                case ED25519_SHA256 -> DkimKeys.ed25519Public(raw);
                case MLDSA44 -> MlDsa.publicKey(raw);
            };
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new Dkim2PermanentError("has a syntax error: p= is not a " + algorithm.keyType() + " public key ("
                    + e.getMessage() + ")");
        }
    }

    // dns-00 3.4.1 k=rsa: an RSAPublicKey; a SubjectPublicKeyInfo, as DKIM records hold, is read too.
    private static PublicKey rsa(byte[] raw) throws GeneralSecurityException, Dkim2PermanentError {
        PublicKey key = DkimKeys.rsaPublic(raw);
        RSAPublicKey rsa = (RSAPublicKey) key;
        int bits = rsa.getModulus().bitLength();
        if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
            throw new Dkim2PermanentError("has an RSA key of " + bits + " bits, outside " + MIN_RSA_BITS + " to "
                    + MAX_RSA_BITS + " (-06 3.2)");
        }
        if (!rsa.getPublicExponent().equals(EXPONENT)) {
            // -06 3.2: "The signing algorithm MUST use a public exponent of 65537."
            throw new Dkim2PermanentError("has an RSA key with public exponent " + rsa.getPublicExponent()
                    + ", not 65537 (-06 3.2)");
        }
        return key;
    }

    private static String firstTag(TagList tags) {
        return tags.tags().isEmpty() ? "" : tags.tags().keySet().iterator().next();
    }

    /** The record to publish for a public key: "v=DKIM1; k=...; p=..." (dns-00 3.4.1). */
    public static String txtRecord(Dkim2Algorithm algorithm, PublicKey key) {
        byte[] p = switch (algorithm) {
            case RSA_SHA256 -> key.getEncoded();
            case ED25519_SHA256 -> DkimKeys.rawEd25519(key);
            case MLDSA44 -> MlDsa.raw(key);
        };
        return "v=" + Dkim2Wire.KEY_VERSION + "; k=" + algorithm.keyType() + "; p=" + Base64.getEncoder().encodeToString(p);
    }
}
