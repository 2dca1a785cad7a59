package org.sealpost.transport.publishing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.cache.DurableStore;
import org.sealpost.keyexchange.mtasts.MtaSts;
import org.sealpost.keyexchange.mtasts.StsResult;
import org.sealpost.keyexchange.mtasts.StsSettings;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.dkim.StaticTxt;

/**
 * Our policy as a sender fetches it: Sealpost's own MTA-STS client (strict parser, WebPKI check,
 * text/plain only) takes the served file; other hosts, paths and methods get nothing.
 */
class PolicyServerTest {

    private static final Config.Publishing PUBLISHING = new Config.Publishing(List.of("example.org", "example.net"),
            "enforce", List.of("mx.example.org", "*.mx.example.net"), Duration.ofDays(1), Optional.empty(),
            Optional.empty(), Optional.empty(), List.of());

    @TempDir
    Path folder;

    private X509Certificate certificate;
    private PolicyServer server;

    @BeforeEach
    void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name("CN=mta-sts.example.org");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "mta-sts.example.org"),
                new GeneralName(GeneralName.dNSName, "mta-sts.example.net")}));
        certificate = new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", keys.getPrivate(), new char[0], new Certificate[] {certificate});
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(store, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(managers.getKeyManagers(), null, null);
        server = PolicyServer.start(new InetSocketAddress("127.0.0.1", 0), tls, Set.copyOf(PUBLISHING.domains()),
                PolicyFile.of(PUBLISHING));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void sealpostsOwnClient_fetchesAndAcceptsThePolicy_forEachDomain() throws Exception {
        PolicyFile policy = PolicyFile.of(PUBLISHING);
        for (String domain : PUBLISHING.domains()) {
            StaticTxt dns = new StaticTxt(Map.of("_mta-sts." + domain, policy.txtRecord()),
                    Map.of("mta-sts." + domain, "127.0.0.1"));
            try (MtaSts client = new MtaSts(dns, new DurableStore(folder.resolve(domain)),
                    StsSettings.of(server.address().getPort(), Set.of(new TrustAnchor(certificate, null))),
                    Clock.systemUTC())) {
                StsResult result = client.policyFor(domain).join();
                StsResult.Found found = assertInstanceOf(StsResult.Found.class, result, result.toString());
                assertEquals(policy.id(), found.policy().id());
                assertEquals("enforce", found.policy().mode().text());
                assertEquals(List.of("mx.example.org", "*.mx.example.net"), found.policy().mx());
                assertEquals(86_400, found.policy().maxAgeSeconds());
            }
        }
    }

    @Test
    void anotherHost_anotherPath_orAnotherMethod_getNoPolicy() throws Exception {
        assertTrue(request("GET", "/.well-known/mta-sts.txt", "mta-sts.example.org:443").startsWith("HTTP/1.1 200"));
        assertTrue(request("GET", "/.well-known/mta-sts.txt", "MTA-STS.Example.NET.").startsWith("HTTP/1.1 200"));
        assertTrue(request("GET", "/.well-known/mta-sts.txt", "mta-sts.example.com").startsWith("HTTP/1.1 404"));
        assertTrue(request("GET", "/.well-known/mta-sts.txt.bak", "mta-sts.example.org").startsWith("HTTP/1.1 404"));
        assertTrue(request("POST", "/.well-known/mta-sts.txt", "mta-sts.example.org").startsWith("HTTP/1.1 405"));
        String answer = request("GET", "/.well-known/mta-sts.txt", "mta-sts.example.org");
        assertTrue(answer.contains("\r\nContent-type: text/plain\r\n"), answer);
        assertTrue(answer.endsWith("\r\n\r\n" + PolicyFile.of(PUBLISHING).text()), answer);
    }

    private String request(String method, String path, String host) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.address().getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.US_ASCII);
        }
    }
}
