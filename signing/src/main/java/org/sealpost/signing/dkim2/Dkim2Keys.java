package org.sealpost.signing.dkim2;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Base64;

/**
 * Keys DKIM2 has beside DKIM's (RSA and Ed25519 keys come from {@link org.sealpost.signing.dkim.DkimKeys},
 * their records are the same, -06 3.6): ML-DSA-44, made, read from PKCS#8 and published with k=mldsa44.
 */
public final class Dkim2Keys {

    private Dkim2Keys() {
    }

    public static KeyPair generateMlDsa44() throws GeneralSecurityException {
        return MlDsa.generate();
    }

    /** An ML-DSA-44 private key from PKCS#8 PEM or DER. */
    public static PrivateKey readMlDsa44(String pem) throws GeneralSecurityException {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return MlDsa.privateKey(Base64.getDecoder().decode(body));
    }

    /** The key record to publish at selector._domainkey.domain: "v=DKIM1; k=mldsa44; p=..." (1312 octets). */
    public static String mlDsa44Record(java.security.PublicKey key) {
        return Dkim2KeyRecord.txtRecord(Dkim2Algorithm.MLDSA44, key);
    }
}
