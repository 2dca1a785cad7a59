package org.sealpost.keyexchange.mtasts;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CertSelector;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;

/**
 * Fetches a domain's policy from {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt}
 * (RFC 8461 3.3). The policy host is resolved through Sealpost's own resolver, not the system's,
 * and the connection goes to the address found, with SNI and the certificate checked for the
 * name mta-sts.DOMAIN against the configured authorities (WebPKI, RFC 6125). The blocking socket
 * work runs on a small pool of its own, never on the caller's thread.
 */
public final class StsFetcher implements AutoCloseable {

    private final DnsResolver dns;
    private final StsSettings settings;
    private final Clock clock;
    private final SSLContext tls;
    private final ExecutorService pool;

    public StsFetcher(DnsResolver dns, StsSettings settings, Clock clock) {
        this.dns = dns;
        this.settings = settings;
        this.clock = clock;
        this.tls = context(settings);
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "mta-sts-fetch-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A TLS client context trusting exactly the configured authorities, without revocation checks. */
    private static SSLContext context(StsSettings settings) {
        try {
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(settings.anchors(), new X509CertSelector());
            parameters.setRevocationEnabled(false);
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(new CertPathTrustManagerParameters(parameters));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot build the trust store for MTA-STS policy hosts: " + e.getMessage(), e);
        }
    }

    /**
     * The policy of {@code domain}, fetched for the TXT record's {@code id}; fails with an
     * {@link StsException} (inside a {@link CompletionException}) naming the RFC 8460 result type.
     */
    public CompletableFuture<StsPolicy> fetch(String domain, String id) {
        String host = "mta-sts." + domain;
        long deadline = System.nanoTime() + settings.fetchTimeout().toNanos();
        return dns.addresses(host).thenApplyAsync(answer -> {
            try {
                String body = get(host, addresses(host, answer), deadline);
                return StsPolicy.parse(body, id, clock.instant());
            } catch (StsException e) {
                throw new CompletionException(e);
            }
        }, pool);
    }

    private static List<InetAddress> addresses(String host, DnsAnswer<InetAddress> answer) throws StsException {
        if (!answer.found() || answer.records().isEmpty()) {
            throw new StsException(StsFailure.POLICY_FETCH_ERROR, "policy host " + host + " has no address ("
                    + answer.outcome() + (answer.reason().isEmpty() ? "" : ": " + answer.reason()) + ")");
        }
        return answer.records();
    }

    /** Tries each address in turn until one connects; the first that connects gives the answer. */
    private String get(String host, List<InetAddress> addresses, long deadline) throws StsException {
        String url = "https://" + host + (settings.port() == 443 ? "" : ":" + settings.port()) + PolicyHttp.PATH;
        StringBuilder failures = new StringBuilder();
        for (InetAddress address : addresses) {
            Socket plain = new Socket();
            try {
                int connect = (int) Math.min(settings.connectTimeout().toMillis(), remainingMillis(deadline, url));
                plain.connect(new InetSocketAddress(address, settings.port()), connect);
            } catch (IOException e) {
                closeQuietly(plain);
                failures.append(failures.length() == 0 ? "" : "; ").append(address.getHostAddress()).append(": ")
                        .append(e.getMessage());
                continue;
            }
            return exchange(plain, host, url, deadline);
        }
        throw new StsException(StsFailure.POLICY_FETCH_ERROR, "cannot connect to " + url + " (" + failures + ")");
    }

    private String exchange(Socket plain, String host, String url, long deadline) throws StsException {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, settings.port(), true)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host)));
            // RFC 8461 3.3: the certificate must be valid for the policy host's name (RFC 6125).
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            PolicyHttp.Deadline check = () -> {
                long remaining = remainingMillis(deadline, url);
                try {
                    socket.setSoTimeout((int) Math.max(1, Math.min(settings.readTimeout().toMillis(), remaining)));
                } catch (IOException e) {
                    throw new StsException(StsFailure.POLICY_FETCH_ERROR, url + ": " + e.getMessage());
                }
            };
            check.check();
            try {
                socket.startHandshake();
            } catch (SSLException e) {
                throw handshakeFailure(url, e);
            }
            OutputStream out = socket.getOutputStream();
            out.write(PolicyHttp.request(host, settings.port()));
            out.flush();
            return PolicyHttp.body(new BufferedInputStream(socket.getInputStream()), url, check);
        } catch (SocketTimeoutException e) {
            throw new StsException(StsFailure.POLICY_FETCH_ERROR, url + " did not answer in time");
        } catch (IOException e) {
            throw new StsException(StsFailure.POLICY_FETCH_ERROR, url + ": " + e.getMessage());
        }
    }

    /** A chain or name the authorities do not vouch for is sts-webpki-invalid; any other TLS failure is a fetch error. */
    private static StsException handshakeFailure(String url, SSLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateException || cause instanceof CertPathValidatorException) {
                return new StsException(StsFailure.WEBPKI_INVALID, url + ": the certificate is not valid for "
                        + "this name from a trusted authority (" + cause.getMessage() + ")");
            }
        }
        return new StsException(StsFailure.POLICY_FETCH_ERROR, url + ": TLS handshake failed (" + e.getMessage() + ")");
    }

    private static long remainingMillis(long deadline, String url) throws StsException {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remaining <= 0) {
            throw new StsException(StsFailure.POLICY_FETCH_ERROR, url + ": the fetch took longer than allowed");
        }
        return remaining;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing was sent on it
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
