package org.sealpost.keyexchange.dane;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.sealpost.dnssec.TlsaRecord;

/** Certificate chains made with Bouncy Castle for the DANE tests: root CA, intermediate CA, leaf. */
public final class Chains {

    private static final AtomicLong SERIAL = new AtomicLong(1);

    public record Issued(X509Certificate certificate, KeyPair keys) {
    }

    private Chains() {
    }

    public static KeyPair keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A certificate for {@code name}; self-signed when {@code issuer} is null; a CA when {@code ca}. */
    public static Issued issue(String name, Issued issuer, boolean ca, Instant notBefore, Instant notAfter) throws Exception {
        KeyPair keys = keys();
        X500Name subject = new X500Name("CN=" + name);
        X500Name issuerName = issuer == null ? subject
                : new X500Name(issuer.certificate().getSubjectX500Principal().getName());
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                BigInteger.valueOf(SERIAL.getAndIncrement()), Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (!ca) {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, name)));
        }
        KeyPair signer = issuer == null ? keys : issuer.keys();
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        return new Issued(certificate, keys);
    }

    public static Issued issue(String name, Issued issuer, boolean ca) throws Exception {
        Instant now = Instant.now();
        return issue(name, issuer, ca, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)));
    }

    /** The TLSA record of {@code usage selector matchingType} for a certificate. */
    public static TlsaRecord tlsa(int usage, int selector, int matchingType, X509Certificate certificate) throws Exception {
        byte[] data = selector == 0 ? certificate.getEncoded() : certificate.getPublicKey().getEncoded();
        byte[] association = switch (matchingType) {
            case 0 -> data;
            case 1 -> MessageDigest.getInstance("SHA-256").digest(data);
            default -> MessageDigest.getInstance("SHA-512").digest(data);
        };
        return new TlsaRecord(usage, selector, matchingType, HexFormat.of().formatHex(association));
    }
}
