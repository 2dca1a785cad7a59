package org.sealpost.keyexchange.dane;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.sealpost.dnssec.TlsaRecord;
import org.sealpost.keyexchange.policy.CertificateNames;

/**
 * Matches the chain a peer presented against its TLSA records (RFC 7672 3.1, RFC 7671 5):
 * DANE-EE(3) on the leaf alone, names and dates ignored; DANE-TA(2) on a certificate above the
 * leaf (or a key given whole in the record), with the chain from the leaf up to it checked for
 * signatures and dates and the leaf's names checked against the reference names.
 */
public final class DaneMatcher {

    private DaneMatcher() {
    }

    /**
     * @param records the TLSA records as published (unusable ones are skipped here)
     * @param chain the peer's chain, leaf first
     * @param referenceNames the names a DANE-TA leaf must carry (RFC 7672 3.2.2: the TLSA base
     *     domain and the next-hop domain)
     * @param now the time certificate dates are checked against
     */
    public static DaneResult match(List<TlsaRecord> records, List<X509Certificate> chain, List<String> referenceNames,
            Instant now) {
        List<TlsaRecord> usable = TlsaUsability.select(records);
        if (usable.isEmpty()) {
            return DaneResult.noMatch("no usable TLSA record");
        }
        if (chain.isEmpty()) {
            return DaneResult.noMatch("the peer presented no certificate");
        }
        for (TlsaRecord record : usable) {
            if (record.usage() == TlsaUsability.DANE_EE && matches(record, chain.get(0))) {
                return DaneResult.match("dane-ee", record.toString());
            }
        }
        String taProblem = "";
        for (TlsaRecord record : usable) {
            if (record.usage() != TlsaUsability.DANE_TA) {
                continue;
            }
            // RFC 7672 3.1.2: a DANE-TA record never matches the leaf itself.
            for (int depth = 1; depth < chain.size(); depth++) {
                if (matches(record, chain.get(depth))) {
                    String problem = checkPath(chain.subList(0, depth + 1), chain.get(depth).getPublicKey(), referenceNames, now);
                    if (problem.isEmpty()) {
                        return DaneResult.match("dane-ta", record.toString());
                    }
                    taProblem = problem;
                }
            }
            PublicKey wholeKey = wholeKey(record);
            if (wholeKey != null && chain.size() >= 1) {
                String problem = checkPath(chain, wholeKey, referenceNames, now);
                if (problem.isEmpty()) {
                    return DaneResult.match("dane-ta", record.toString());
                }
                taProblem = problem;
            }
        }
        return DaneResult.noMatch(taProblem.isEmpty()
                ? "no TLSA record matches the presented chain (" + usable.size() + " usable)" : taProblem);
    }

    private static boolean matches(TlsaRecord record, X509Certificate certificate) {
        try {
            byte[] data = record.selector() == 0 ? certificate.getEncoded() : certificate.getPublicKey().getEncoded();
            byte[] digest = switch (record.matchingType()) {
                case TlsaUsability.FULL -> data;
                case TlsaUsability.SHA256 -> MessageDigest.getInstance("SHA-256").digest(data);
                case TlsaUsability.SHA512 -> MessageDigest.getInstance("SHA-512").digest(data);
                default -> null;
            };
            return digest != null && HexFormat.of().formatHex(digest).equalsIgnoreCase(record.data());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The trust anchor's key when the record carries it whole (matching type 0), else null. */
    private static PublicKey wholeKey(TlsaRecord record) {
        if (record.matchingType() != TlsaUsability.FULL) {
            return null;
        }
        byte[] data = HexFormat.of().parseHex(record.data());
        try {
            if (record.selector() == 0) {
                return ((X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new java.io.ByteArrayInputStream(data))).getPublicKey();
            }
            for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(data));
                } catch (GeneralSecurityException e) {
                    // try the next algorithm
                }
            }
        } catch (CertificateException e) {
            return null;
        }
        return null;
    }

    /**
     * The path leaf .. top, where the top is signed by {@code anchorKey} (or is the anchor): every
     * signature and every date below the anchor, and the leaf's names. "" when all is well.
     */
    private static String checkPath(List<X509Certificate> path, PublicKey anchorKey, List<String> referenceNames,
            Instant now) {
        Date date = Date.from(now);
        for (int i = 0; i < path.size(); i++) {
            X509Certificate certificate = path.get(i);
            boolean isAnchor = i == path.size() - 1 && certificate.getPublicKey().equals(anchorKey);
            if (isAnchor) {
                break; // RFC 7671 5.2.2: the anchor's own signature and dates are not checked
            }
            PublicKey issuerKey = i + 1 < path.size() ? path.get(i + 1).getPublicKey() : anchorKey;
            try {
                certificate.verify(issuerKey);
            } catch (GeneralSecurityException e) {
                return "DANE-TA: " + subject(certificate) + " is not signed by the certificate above it";
            }
            try {
                certificate.checkValidity(date);
            } catch (CertificateException e) {
                return "DANE-TA: " + subject(certificate) + " is outside its validity period";
            }
        }
        List<String> names = CertificateNames.of(path.get(0));
        for (String reference : referenceNames) {
            for (String name : names) {
                if (CertificateNames.matches(name, reference)) {
                    return "";
                }
            }
        }
        return "DANE-TA: the certificate names " + names + " match none of " + referenceNames;
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }
}
