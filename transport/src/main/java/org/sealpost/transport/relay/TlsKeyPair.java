package org.sealpost.transport.relay;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.sealpost.transport.config.ConfigException;

/**
 * A certificate chain and the private key that goes with it, read from the PEM files of two
 * configuration keys (tls_cert_file and tls_key_file, or the next pair) and checked to be a pair:
 * a certificate whose key is another one would make every STARTTLS fail at the peer with "bad
 * signature", so it is refused at start and at reload instead.
 */
record TlsKeyPair(Path certificateFile, Path keyFile, List<X509Certificate> chain, PrivateKey key) {

    /** tls_cert_file and tls_key_file. */
    static TlsKeyPair read(Path certificateFile, Path keyFile) throws StartupFailure {
        return read("tls_cert_file", certificateFile, "tls_key_file", keyFile);
    }

    static TlsKeyPair read(String certificateKey, Path certificateFile, String keyKey, Path keyFile) throws StartupFailure {
        List<X509Certificate> chain = certificates(certificateKey, certificateFile);
        PrivateKey key = privateKey(keyKey, keyFile);
        if (!matches(chain.get(0).getPublicKey(), key)) {
            throw new StartupFailure(certificateKey + " " + certificateFile + " does not match " + keyKey + " " + keyFile
                    + ": the certificate's public key is not the key's; make them as a pair with `sealpost tls keygen`");
        }
        return new TlsKeyPair(certificateFile, keyFile, List.copyOf(chain), key);
    }

    /** A TLS context presenting this pair, for the JDK's HTTPS server (the policy server). */
    javax.net.ssl.SSLContext sslContext() throws StartupFailure {
        try {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] none = new char[0];
            store.setKeyEntry("server", key, none, chain.toArray(new java.security.cert.Certificate[0]));
            javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, none);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new StartupFailure(certificateFile + " and " + keyFile + ": cannot make a TLS context of them ("
                    + e.getMessage() + ")", e);
        }
    }

    /** The leaf certificate, the one whose key the listeners present. */
    X509Certificate leaf() {
        return chain.get(0);
    }

    /** Every certificate of a PEM file, the leaf first. */
    static List<X509Certificate> certificates(String configKey, Path file) throws StartupFailure {
        byte[] pem = contents(configKey, file);
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            factory.generateCertificates(new java.io.ByteArrayInputStream(pem))
                    .forEach(certificate -> chain.add((X509Certificate) certificate));
        } catch (GeneralSecurityException e) {
            throw new StartupFailure(configKey + " " + file + ": holds no certificate (" + e.getMessage()
                    + "); expected the certificate chain in PEM, the host's certificate first");
        }
        if (chain.isEmpty()) {
            throw new StartupFailure(configKey + " " + file + ": holds no certificate; expected the certificate chain in PEM, "
                    + "the host's certificate first");
        }
        return chain;
    }

    /** A PEM private key: PKCS#8, or PKCS#1 / SEC 1 as openssl writes them. */
    private static PrivateKey privateKey(String configKey, Path file) throws StartupFailure {
        byte[] pem = contents(configKey, file);
        try (Reader reader = new java.io.StringReader(new String(pem, StandardCharsets.US_ASCII));
                PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
        } catch (IOException | RuntimeException e) {
            throw new StartupFailure(configKey + " " + file + ": not a PEM private key (" + e.getMessage()
                    + "); expected an unencrypted PKCS#8 or PKCS#1 key as `sealpost tls keygen` or openssl writes it");
        }
        throw new StartupFailure(configKey + " " + file + ": holds no private key; expected an unencrypted PKCS#8 or PKCS#1 "
                + "key as `sealpost tls keygen` or openssl writes it");
    }

    private static byte[] contents(String configKey, Path file) throws StartupFailure {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new StartupFailure(ConfigException.unreadable(configKey, file, e), e);
        }
    }

    /**
     * Whether the private key is the certificate's: a signature by the one must verify with the
     * other. This works alike for RSA, EC and EdDSA keys without deriving one key from the other.
     */
    static boolean matches(PublicKey certified, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return true; // a kind of key we cannot test: the TLS engine will say what it thinks of it
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an RSA certificate with an EC key
        }
    }
}
