package org.sealpost.transport.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.MxRecord;
import org.sealpost.dnssec.Outcome;
import org.sealpost.dnssec.Security;
import org.sealpost.dnssec.TlsaRecord;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.queue.Incoming;
import org.sealpost.transport.queue.MessageSink;
import org.sealpost.transport.smtp.server.ListenerRole;
import org.sealpost.transport.smtp.server.ListenerSettings;
import org.sealpost.transport.smtp.server.SessionLimits;
import org.sealpost.transport.smtp.server.SmtpServer;

/** The endpoint on a free loopback port: /metrics in the Prometheus text format, /health and what makes it fail. */
class MetricsServerTest {

    @TempDir
    Path dir;

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<Outcome> dnsOutcome = new AtomicReference<>(Outcome.NXDOMAIN);
    private final MutableClock clock = new MutableClock();
    private SmtpServer listener;
    private MetricsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (listener != null) {
            listener.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Metrics start() throws Exception {
        SessionLimits limits = new SessionLimits(512, 1000, 1 << 20, 100, Duration.ofMinutes(1), Duration.ofMinutes(5), 10);
        MessageSink refusing = envelope -> {
            throw new IOException("not in this test");
        };
        listener = new SmtpServer(new ListenerSettings("mx", ListenerRole.MX, new InetSocketAddress("127.0.0.1", 0),
                "mx.example.test", List.of(), Set.of("example.test"), null, null, limits), refusing, group,
                NioServerSocketChannel.class);
        listener.start();
        Files.createDirectories(dir.resolve("queue/incoming"));
        Metrics metrics = Metrics.prometheus();
        metrics.watchListener("mx", listener::openConnections);
        Supplier<String> bound = () -> listener.boundAddress() == null ? null : listener.boundAddress().toString();
        Health health = new Health(Map.of("mx", bound), dir.resolve("queue/incoming"), new OneAnswerDns(dnsOutcome),
                "mx.example.test", Duration.ofSeconds(1), clock);
        server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), metrics, health);
        return metrics;
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metrics_areTheClassicTextFormat_withTheCountsRecorded() throws Exception {
        Metrics metrics = start();
        metrics.received("mx", "data", "250 2.0.0 Ok: queued as 0123456789ABCDEF");
        metrics.received("mx", "rcpt", "554 5.7.1 <x@example.net>: Relay access denied");
        HttpResponse<String> response = get("/metrics");
        assertEquals(200, response.statusCode());
        assertEquals(MetricsServer.TEXT_004, response.headers().firstValue("Content-Type").orElse(""));
        String body = response.body();
        assertTrue(body.contains("# TYPE sealpost_messages_received_total counter"), body);
        assertTrue(body.contains("sealpost_messages_received_total{listener=\"mx\",result=\"accepted\",stage=\"data\"} 1.0"),
                body);
        assertTrue(body.contains("sealpost_connections_open{listener=\"mx\"} 0.0"), body);
        assertTrue(body.contains("jvm_memory_used_bytes{"), body);
    }

    @Test
    void openMetrics_isServedWhenAsked() throws Exception {
        start();
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                .header("Accept", "application/openmetrics-text; version=1.0.0").build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
        assertTrue(response.body().endsWith("# EOF\n"), response.body());
    }

    @Test
    void health_is200WhenAllPasses_and503NamingAListenerThatIsNotBound() throws Exception {
        start();
        HttpResponse<String> healthy = get("/health");
        assertEquals(200, healthy.statusCode(), healthy.body());
        assertTrue(healthy.body().startsWith("ok\nlistener mx: ok: bound to /127.0.0.1:"), healthy.body());
        assertTrue(healthy.body().contains("queue: ok: writable"), healthy.body());
        assertTrue(healthy.body().contains("dns: ok: answers (mx.example.test A: nxdomain)"), healthy.body());

        listener.close();
        HttpResponse<String> unbound = get("/health");
        assertEquals(503, unbound.statusCode(), unbound.body());
        assertTrue(unbound.body().startsWith("failing\nlistener mx: FAIL: not bound: it accepts no connections\n"),
                unbound.body());
    }

    @Test
    void health_is503WhenTheQueueFolderCannotBeWritten() throws Exception {
        start();
        Path incoming = dir.resolve("queue/incoming");
        Files.delete(incoming);
        Files.writeString(incoming, "not a folder"); // root may write anywhere: a file in its place stops even root
        HttpResponse<String> response = get("/health");
        assertEquals(503, response.statusCode(), response.body());
        assertTrue(response.body().contains("queue: FAIL: cannot write in " + incoming), response.body());
    }

    @Test
    void health_is503WhenDnsDoesNotAnswer_andTheDnsResultIsReusedForAFewSeconds() throws Exception {
        start();
        assertEquals(200, get("/health").statusCode());
        dnsOutcome.set(Outcome.TIMEOUT);
        assertEquals(200, get("/health").statusCode(), "the check of a moment ago still stands");
        clock.advance(Health.DNS_CHECK_INTERVAL);
        HttpResponse<String> response = get("/health");
        assertEquals(503, response.statusCode(), response.body());
        assertTrue(response.body().contains("dns: FAIL: no answer for mx.example.test A (timeout): test"), response.body());
        dnsOutcome.set(Outcome.SERVFAIL);
        clock.advance(Health.DNS_CHECK_INTERVAL);
        assertTrue(get("/health").body().contains("dns: FAIL: no answer for mx.example.test A (servfail)"));
    }

    @Test
    void otherPathsAndMethods_areRefused() throws Exception {
        start();
        assertEquals(404, get("/").statusCode());
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics");
        assertEquals(405, http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    /** Answers every A lookup with the outcome set in the test. */
    private record OneAnswerDns(AtomicReference<Outcome> outcome) implements DnsResolver {
        @Override
        public CompletableFuture<DnsAnswer<InetAddress>> a(String host) {
            return CompletableFuture.completedFuture(DnsAnswer.failed(outcome.get(), Security.INSECURE, "test"));
        }

        @Override
        public CompletableFuture<DnsAnswer<MxRecord>> mx(String domain) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<DnsAnswer<InetAddress>> addresses(String host) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<DnsAnswer<InetAddress>> aaaa(String host) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<DnsAnswer<String>> ptr(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<DnsAnswer<TlsaRecord>> tlsa(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<DnsAnswer<String>> txt(String name) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T12:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
