package org.sealpost.transport.smtp.client;

import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.InProcessZone;
import org.sealpost.transport.smtp.server.ListenerRole;
import org.sealpost.transport.smtp.server.ListenerSettings;
import org.sealpost.transport.smtp.server.SessionLimits;

/**
 * The destination dane.test of the delivery tests: a zone signed in memory whose MX mx.dane.test
 * is 127.0.0.1 (and ::1), with or without a TLSA record for one port, and the settings of a
 * Sealpost mx listener with STARTTLS to stand at that port.
 */
final class DaneTestDomain {

    static final String DOMAIN = "dane.test";

    private DaneTestDomain() {
    }

    /** A validating resolver for dane.test whose MX host has the TLSA record {@code tlsa} ("3 1 1 hex") at {@code port}, none when null. */
    static DnsResolver signed(int port, String tlsa) throws Exception {
        return InProcessZone.signed(DOMAIN, "@ IN SOA ns1 hostmaster 1 3600 900 1209600 300\n"
                + "@ IN NS ns1\n@ IN MX 10 mx\nns1 IN A 127.0.0.1\nmx IN A 127.0.0.1\nmx IN AAAA ::1\n"
                + (tlsa == null ? "" : "_" + port + "._tcp.mx IN TLSA " + tlsa + "\n")).validatingResolver();
    }

    /** The data of a TLSA 3 1 1 record for the certificate's key: the SHA-256 of its SubjectPublicKeyInfo (RFC 6698 2.1). */
    static String spkiSha256(SelfSignedCertificate certificate) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.cert().getPublicKey()
                .getEncoded()));
    }

    /** An mx listener on 127.0.0.1 (any port) named mx.dane.test, with STARTTLS under {@code certificate}, for {@code domains}. */
    static ListenerSettings mxListener(SelfSignedCertificate certificate, Set<String> domains) throws SSLException {
        return new ListenerSettings("dest", ListenerRole.MX, new InetSocketAddress("127.0.0.1", 0), "mx.dane.test", List.of(),
                domains, SslContextBuilder.forServer(certificate.certificate(), certificate.privateKey()).build(), null,
                new SessionLimits(2048, 1000, 1 << 20, 100, Duration.ofMinutes(1), Duration.ofMinutes(5), 10));
    }
}
