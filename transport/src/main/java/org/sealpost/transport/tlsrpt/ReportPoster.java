package org.sealpost.transport.tlsrpt;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The https form of delivery (RFC 8460 5.4): the gzipped report POSTed to the rua URL as
 * application/tlsrpt+gzip; any 2xx is success. The server's certificate is checked against
 * tls_ca_file when set (so that tests and private authorities work), the JDK's cacerts otherwise;
 * redirects are not followed.
 */
final class ReportPoster {

    static final String CONTENT_TYPE = "application/tlsrpt+gzip";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client;

    ReportPoster(SSLContext tls) {
        this.client = HttpClient.newBuilder().sslContext(tls).connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The TLS context trusting {@code caFile}'s PEM certificates, or the JDK's defaults when null. */
    static SSLContext trusting(Path caFile) throws IOException, GeneralSecurityException {
        if (caFile == null) {
            return SSLContext.getDefault();
        }
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                anchors.setCertificateEntry("ca" + n++, certificate);
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** POSTs the report; returns "" on a 2xx reply, otherwise why it failed. */
    String post(URI url, AggregateReport report) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT).header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(report.gzipped())).build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return status / 100 == 2 ? "" : "HTTP status " + status;
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
