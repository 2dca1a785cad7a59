package org.sealpost.signing.dkim;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * DKIM keys: reading private keys in the forms signers keep them, making new key pairs, and the
 * TXT record that publishes a public key.
 */
public final class DkimKeys {

    // The fixed DER prefixes that wrap a raw 32-octet Ed25519 key (RFC 8410 4, 7).
    private static final byte[] ED25519_SPKI = hex("302a300506032b6570032100");
    private static final byte[] ED25519_PKCS8 = hex("302e020100300506032b657004220420");

    private DkimKeys() {
    }

    /**
     * Reads a private key: PKCS#8 PEM ("BEGIN PRIVATE KEY", RSA or Ed25519, as openssl genpkey
     * writes), PKCS#1 PEM ("BEGIN RSA PRIVATE KEY", as opendkim-genkey writes), or a bare base64
     * 32-octet Ed25519 seed (as dkimpy keeps Ed25519 keys).
     *
     * @throws GeneralSecurityException naming the form expected, when the text is none of these
     */
    public static PrivateKey readPrivateKey(String text) throws GeneralSecurityException {
        String trimmed = text.strip();
        if (trimmed.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new InvalidKeySpecException("encrypted private keys are not supported; decrypt it with openssl pkcs8");
        }
        if (trimmed.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            return rsaPkcs1Private(pem(trimmed, "RSA PRIVATE KEY"));
        }
        if (trimmed.contains("-----BEGIN PRIVATE KEY-----")) {
            byte[] der = pem(trimmed, "PRIVATE KEY");
            try {
                return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException notRsa) {
                return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
            }
        }
        byte[] raw;
        try {
            raw = Base64.getMimeDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            raw = new byte[0];
        }
        if (raw.length == 32) {
            return ed25519FromSeed(raw);
        }
        throw new InvalidKeySpecException("not a private key: expected PEM (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)"
                + " or a base64 32-octet Ed25519 seed");
    }

    /** An Ed25519 private key from its 32-octet seed (RFC 8032 5.1.5). */
    public static PrivateKey ed25519FromSeed(byte[] seed) throws GeneralSecurityException {
        if (seed.length != 32) {
            throw new InvalidKeySpecException("an Ed25519 seed is 32 octets, not " + seed.length);
        }
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(concat(ED25519_PKCS8, seed)));
    }

    /** Makes a key pair: RSA of {@code rsaBits} (at least 1024, RFC 8301 3.2; ignored for Ed25519). */
    public static GeneratedKey generate(KeyType type, int rsaBits) throws GeneralSecurityException {
        KeyPair pair;
        if (type == KeyType.RSA) {
            if (rsaBits < 1024) {
                throw new IllegalArgumentException("RSA keys for DKIM need at least 1024 bits (RFC 8301 3.2), not " + rsaBits);
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(rsaBits);
            pair = generator.generateKeyPair();
        } else {
            pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        }
        return new GeneratedKey(type, pair.getPrivate(), pair.getPublic(), pemOf(pair.getPrivate()),
                txtRecord(type, pair.getPublic()));
    }

    /**
     * The public half of a private key, to publish a key file's record: RSA from the CRT parameters,
     * Ed25519 by deriving it from the seed (RFC 8032 5.1.5).
     */
    public static PublicKey publicKey(PrivateKey key) throws GeneralSecurityException {
        if (key instanceof RSAPrivateCrtKey rsa) {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(),
                    rsa.getPublicExponent()));
        }
        if (key instanceof EdECPrivateKey ed && ed.getBytes().isPresent()) {
            byte[] seed = ed.getBytes().get();
            // The JDK's generator draws its 32-octet seed from the random source: hand it this key's
            // seed. Named, because another provider first in the list (ACCP) may use its own randomness.
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519", "SunEC");
            generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                private static final long serialVersionUID = 1L;

                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
                }
            });
            return generator.generateKeyPair().getPublic();
        }
        throw new InvalidKeySpecException("cannot derive the public key of a " + key.getAlgorithm() + " key");
    }

    /** The key record to publish: "v=DKIM1; k=rsa; p=..." (RFC 6376 3.6.1, RFC 8463 4). */
    public static String txtRecord(KeyType type, PublicKey key) {
        byte[] p = type == KeyType.RSA ? key.getEncoded() : rawEd25519(key);
        return "v=DKIM1; k=" + type.tag() + "; p=" + Base64.getEncoder().encodeToString(p);
    }

    /** A private key as PKCS#8 PEM. */
    public static String pemOf(PrivateKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }

    /** The size of an RSA key in bits, or 256 for Ed25519. */
    public static int bits(java.security.Key key) {
        return key instanceof RSAKey rsa ? rsa.getModulus().bitLength() : 256;
    }

    /** An RSA public key from a key record's p=: SubjectPublicKeyInfo, or bare PKCS#1 RSAPublicKey. */
    public static PublicKey rsaPublic(byte[] der) throws GeneralSecurityException {
        KeyFactory factory = KeyFactory.getInstance("RSA");
        try {
            return factory.generatePublic(new X509EncodedKeySpec(der));
        } catch (InvalidKeySpecException notSpki) {
            try {
                List<BigInteger> n = Der.integers(der);
                if (n.size() != 2) {
                    throw new InvalidKeySpecException("not an RSAPublicKey");
                }
                return factory.generatePublic(new RSAPublicKeySpec(n.get(0), n.get(1)));
            } catch (IllegalArgumentException e) {
                throw new InvalidKeySpecException("neither SubjectPublicKeyInfo nor RSAPublicKey", e);
            }
        }
    }

    /** An Ed25519 public key from the raw 32 octets of p= (RFC 8463 4). */
    public static PublicKey ed25519Public(byte[] raw) throws GeneralSecurityException {
        if (raw.length != 32) {
            throw new InvalidKeySpecException("an Ed25519 key is 32 octets, not " + raw.length);
        }
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(ED25519_SPKI, raw)));
    }

    /** The raw 32 octets of an Ed25519 public key, as p= holds them (RFC 8463 4). */
    public static byte[] rawEd25519(PublicKey key) {
        byte[] spki = key.getEncoded();
        return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }

    private static PrivateKey rsaPkcs1Private(byte[] der) throws GeneralSecurityException {
        try {
            List<BigInteger> v = Der.integers(der);
            if (v.size() < 9 || v.get(0).signum() != 0) {
                throw new InvalidKeySpecException("not a PKCS#1 RSAPrivateKey (version 0, nine integers)");
            }
            return KeyFactory.getInstance("RSA").generatePrivate(new RSAPrivateCrtKeySpec(v.get(1), v.get(2), v.get(3),
                    v.get(4), v.get(5), v.get(6), v.get(7), v.get(8)));
        } catch (IllegalArgumentException e) {
            throw new InvalidKeySpecException("not a PKCS#1 RSAPrivateKey: " + e.getMessage(), e);
        }
    }

    private static byte[] pem(String text, String label) throws InvalidKeySpecException {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end, from);
        if (from < 0 || to < 0) {
            throw new InvalidKeySpecException("PEM without " + end);
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new InvalidKeySpecException("PEM body is not base64", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
