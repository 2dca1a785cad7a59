package org.sealpost.signing.dkim2;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * Keys DKIM2 has beside DKIM's (RSA and Ed25519 keys come from {@link org.sealpost.signing.dkim.DkimKeys},
 * their records are the same, -06 3.6): ML-DSA-44, made, read from PKCS#8 and published with k=mldsa44.
 */
public final class Dkim2Keys {

    private static final String MLDSA44 = "ML-DSA-44";

    private Dkim2Keys() {
    }

    public static KeyPair generateMlDsa44() throws GeneralSecurityException {
        return MlDsa.generate();
    }

    /**
     * An ML-DSA-44 private key from PKCS#8 PEM or base64 DER. Another ML-DSA parameter set is refused: its
     * signatures would go out named mldsa44 and fail at every verifier that knows the name.
     */
    public static PrivateKey readMlDsa44(String pem) throws GeneralSecurityException {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeySpecException("not a PEM key: " + e.getMessage());
        }
        if (der.length == 0) {
            throw new InvalidKeySpecException("no key in it");
        }
        String algorithm = pkcs8Algorithm(der);
        if (!MLDSA44.equals(algorithm)) {
            throw new InvalidKeySpecException(algorithm == null ? "not a PKCS#8 private key"
                    : "an " + algorithm + " key, not " + MLDSA44);
        }
        return MlDsa.privateKey(der);
    }

    /** The algorithm a PKCS#8 key names (RFC 5958 2), for the error about a wrong key; null when it is not PKCS#8. */
    private static String pkcs8Algorithm(byte[] der) {
        String oid;
        try {
            oid = PrivateKeyInfo.getInstance(der).getPrivateKeyAlgorithm().getAlgorithm().getId();
        } catch (RuntimeException e) {
            return null;
        }
        return switch (oid) {
            case "1.2.840.113549.1.1.1" -> "RSA";
            case "1.3.101.112" -> "Ed25519";
            case "1.2.840.10045.2.1" -> "EC";
            // FIPS 204 parameter sets (RFC 9881 2).
            case "2.16.840.1.101.3.4.3.17" -> MLDSA44;
            case "2.16.840.1.101.3.4.3.18" -> "ML-DSA-65";
            case "2.16.840.1.101.3.4.3.19" -> "ML-DSA-87";
            default -> "algorithm " + oid;
        };
    }

    /** The key record to publish at selector._domainkey.domain: "v=DKIM1; k=mldsa44; p=..." (1312 octets). */
    public static String mlDsa44Record(java.security.PublicKey key) {
        return Dkim2KeyRecord.txtRecord(Dkim2Algorithm.MLDSA44, key);
    }
}
