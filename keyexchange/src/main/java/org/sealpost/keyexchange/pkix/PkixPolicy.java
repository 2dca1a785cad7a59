package org.sealpost.keyexchange.pkix;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
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
import org.sealpost.keyexchange.policy.Check;
import org.sealpost.keyexchange.policy.Decision;
import org.sealpost.keyexchange.policy.DeliveryPolicy;
import org.sealpost.keyexchange.policy.Failure;
import org.sealpost.keyexchange.policy.Hop;
import org.sealpost.keyexchange.policy.Rfc8460ResultType;
import org.sealpost.keyexchange.policy.TlsLevel;

/**
 * The verify and secure levels (as Postfix's), where the earlier policies asked for one of them:
 * TLS is required and the chain must validate to a trusted certificate authority. verify accepts the MX host's name (which an attacker who forges
 * unsigned MX records can choose); secure accepts only the next-hop domain or a name below it.
 */
public final class PkixPolicy implements DeliveryPolicy {

    private final Set<TrustAnchor> anchors;
    private final Clock clock;

    public PkixPolicy(Set<TrustAnchor> anchors, Clock clock) {
        this.anchors = anchors;
        this.clock = clock;
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
    public String name() {
        return "pkix";
    }

    @Override
    public CompletableFuture<Step> beforeConnect(Hop hop, Decision earlier) {
        TlsLevel level = earlier.level();
        if (level != TlsLevel.VERIFY && level != TlsLevel.SECURE) {
            return Step.unchanged(earlier);
        }
        // The decision keeps what it is held to (an MTA-STS policy, for TLS-RPT).
        return CompletableFuture.completedFuture(new Step(new Decision(level, earlier.decidedBy(), level.configName(),
                earlier.fixed(), earlier.reason(), earlier.published()), (peer, decided) -> CompletableFuture.completedFuture(peer.tls()
                        ? verify(level, hop.domain(), peer.host(), peer.peerChain()) : Check.unauthenticated())));
    }

    /**
     * The chain against the authorities, and its names against the MX host (verify) or the
     * next-hop domain (secure). Public for MTA-STS in testing mode, which makes this check and
     * only reports its failure (RFC 8461 5).
     */
    public Check verify(TlsLevel level, String nextHopDomain, String mxHost, List<Certificate> peerChain) {
        List<X509Certificate> chain = peerChain.stream().filter(X509Certificate.class::isInstance)
                .map(X509Certificate.class::cast).toList();
        if (chain.isEmpty()) {
            return fail(level, Rfc8460ResultType.CERTIFICATE_NOT_TRUSTED, "the peer presented no certificate");
        }
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false); // no CRL or OCSP fetching on the delivery path
            parameters.setDate(Date.from(clock.instant()));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(
                    chain.stream().filter(c -> !isAnchor(c)).toList()), parameters);
        } catch (GeneralSecurityException e) {
            boolean expired = e instanceof CertPathValidatorException invalid
                    && invalid.getReason() == CertPathValidatorException.BasicReason.EXPIRED;
            return fail(level, expired ? Rfc8460ResultType.CERTIFICATE_EXPIRED : Rfc8460ResultType.CERTIFICATE_NOT_TRUSTED,
                    "the chain does not validate to a trusted authority: " + e.getMessage());
        }
        List<String> names = CertificateNames.of(chain.get(0));
        for (String name : names) {
            if (level == TlsLevel.VERIFY ? CertificateNames.matches(name, mxHost) : underNextHop(name, nextHopDomain)) {
                return Check.pass(level.configName());
            }
        }
        return fail(level, Rfc8460ResultType.CERTIFICATE_HOST_MISMATCH, "the certificate names " + names + " do not match "
                + (level == TlsLevel.VERIFY ? mxHost : nextHopDomain + " or a name below it"));
    }

    /** secure: the next-hop domain itself, or any name below it (Postfix's nexthop, dot-nexthop). */
    private static boolean underNextHop(String name, String nextHopDomain) {
        String domain = nextHopDomain.toLowerCase(Locale.ROOT);
        String presented = name.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        if (presented.startsWith("*.")) {
            return presented.substring(2).endsWith(domain) && (presented.substring(2).equals(domain)
                    || presented.substring(2).endsWith("." + domain));
        }
        return presented.equals(domain) || presented.endsWith("." + domain);
    }

    /** The verification is named by the level, as the logs have it ("(verify)"). */
    private static Check fail(TlsLevel level, Rfc8460ResultType type, String reason) {
        return Check.fail(level.configName(), Failure.temporary("4.7.5", "pkix", type, reason));
    }

    private boolean isAnchor(X509Certificate certificate) {
        return anchors.stream().anyMatch(anchor -> certificate.equals(anchor.getTrustedCert()));
    }
}
