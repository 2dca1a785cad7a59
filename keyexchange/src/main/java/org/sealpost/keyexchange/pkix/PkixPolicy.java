package org.sealpost.keyexchange.pkix;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.sealpost.keyexchange.policy.CertificateNames;
import org.sealpost.keyexchange.policy.HopPolicy;
import org.sealpost.keyexchange.policy.TlsLevel;
import org.sealpost.keyexchange.policy.Verification;

/**
 * The verify and secure levels (as Postfix's): TLS is required and the chain must validate to a
 * trusted certificate authority. verify accepts the MX host's name (which an attacker who forges
 * unsigned MX records can choose); secure accepts only the next-hop domain or a name below it.
 */
public final class PkixPolicy implements HopPolicy {

    private final TlsLevel level;
    private final String source;
    private final Set<TrustAnchor> anchors;
    private final Clock clock;
    private final String nextHopDomain;

    public PkixPolicy(TlsLevel level, String source, Set<TrustAnchor> anchors, Clock clock) {
        this(level, source, anchors, clock, "");
    }

    private PkixPolicy(TlsLevel level, String source, Set<TrustAnchor> anchors, Clock clock, String nextHopDomain) {
        this.level = level;
        this.source = source;
        this.anchors = anchors;
        this.clock = clock;
        this.nextHopDomain = nextHopDomain;
    }

    /** The certificate authorities of the JDK's cacerts, or of a PEM bundle. */
    public static Set<TrustAnchor> anchors(Path pemBundle) throws IOException, GeneralSecurityException {
        Set<TrustAnchor> anchors = new HashSet<>();
        if (pemBundle != null) {
            try (InputStream in = Files.newInputStream(pemBundle)) {
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    anchors.add(new TrustAnchor((X509Certificate) certificate, null));
                }
            }
            if (anchors.isEmpty()) {
                throw new IOException(pemBundle + " holds no PEM certificate");
            }
            return anchors;
        }
        KeyStore cacerts = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
            cacerts.load(in, null);
        }
        return new PKIXParameters(cacerts).getTrustAnchors();
    }

    @Override
    public TlsLevel level() {
        return level;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public CompletableFuture<HopPolicy> forHost(String host, int port, String domain, boolean mxSecure) {
        return CompletableFuture.completedFuture(new PkixPolicy(level, source, anchors, clock, domain));
    }

    @Override
    public Verification verify(String mxHost, List<Certificate> peerChain) {
        List<X509Certificate> chain = peerChain.stream().filter(X509Certificate.class::isInstance)
                .map(X509Certificate.class::cast).toList();
        if (chain.isEmpty()) {
            return Verification.failed(level.configName(), "the peer presented no certificate");
        }
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false); // no CRL or OCSP fetching on the delivery path
            parameters.setDate(Date.from(clock.instant()));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(
                    chain.stream().filter(c -> !isAnchor(c)).toList()), parameters);
        } catch (GeneralSecurityException e) {
            return Verification.failed(level.configName(), "the chain does not validate to a trusted authority: "
                    + e.getMessage());
        }
        List<String> names = CertificateNames.of(chain.get(0));
        for (String name : names) {
            if (level == TlsLevel.VERIFY ? CertificateNames.matches(name, mxHost) : underNextHop(name)) {
                return new Verification(true, level.configName(), "");
            }
        }
        return Verification.failed(level.configName(), "the certificate names " + names + " do not match "
                + (level == TlsLevel.VERIFY ? mxHost : nextHopDomain + " or a name below it"));
    }

    /** secure: the next-hop domain itself, or any name below it (Postfix's nexthop, dot-nexthop). */
    private boolean underNextHop(String name) {
        String domain = nextHopDomain.toLowerCase(Locale.ROOT);
        String presented = name.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        if (presented.startsWith("*.")) {
            return presented.substring(2).endsWith(domain) && (presented.substring(2).equals(domain)
                    || presented.substring(2).endsWith("." + domain));
        }
        return presented.equals(domain) || presented.endsWith("." + domain);
    }

    private boolean isAnchor(X509Certificate certificate) {
        return anchors.stream().anyMatch(anchor -> certificate.equals(anchor.getTrustedCert()));
    }
}
