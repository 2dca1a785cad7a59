package org.sealpost.transport.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoint on metrics_address: {@code GET /metrics} in the Prometheus text format (0.0.4, or
 * OpenMetrics when the scraper's Accept header asks for it), {@code GET /health} 200 when every check
 * passes and 503 when one fails, one line per check. It uses the JDK's HTTP server: a scrape or two a
 * minute on loopback needs no more, and it adds no dependency.
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    static final String TEXT_004 = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds {@code address} and serves {@code metrics} (which must be {@link Metrics#prometheus()}) and {@code health}. */
    public static MetricsServer start(InetSocketAddress address, Metrics metrics, Health health) throws IOException {
        if (metrics.prometheusRegistry() == null) {
            throw new IllegalArgumentException("metrics without a Prometheus registry");
        }
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "metrics");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> answer(exchange, () -> {
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            // The new Prometheus client picks OpenMetrics, protobuf or 0.0.4 from the Accept header;
            // without one that names another format, the classic text format every parser reads.
            String format = accept != null && accept.contains("application/openmetrics-text") ? accept : TEXT_004;
            String body = metrics.prometheusRegistry().scrape(format);
            String type = format == TEXT_004 ? TEXT_004 : "application/openmetrics-text; version=1.0.0; charset=utf-8";
            return new Reply(200, type, body);
        }));
        server.createContext("/health", exchange -> answer(exchange, () -> {
            List<Health.Check> checks = health.check();
            boolean ok = checks.stream().allMatch(Health.Check::ok);
            StringBuilder body = new StringBuilder(ok ? "ok\n" : "failing\n");
            for (Health.Check check : checks) {
                body.append(check.name()).append(": ").append(check.ok() ? "ok" : "FAIL").append(": ")
                        .append(check.detail()).append('\n');
            }
            return new Reply(ok ? 200 : 503, "text/plain; charset=utf-8", body.toString());
        }));
        server.start();
        return new MetricsServer(server, executor);
    }

    /** The address the endpoint is bound to (useful with port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private record Reply(int status, String type, String body) {
    }

    private interface Handler {
        Reply handle() throws IOException;
    }

    private static void answer(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            Reply reply;
            String path = exchange.getRequestURI().getPath();
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                reply = new Reply(405, "text/plain; charset=utf-8", "only GET\n");
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            } else if (!path.equals("/metrics") && !path.equals("/health")) {
                reply = new Reply(404, "text/plain; charset=utf-8", "not found: /metrics and /health are served here\n");
            } else {
                try {
                    reply = handler.handle();
                } catch (RuntimeException e) {
                    LOG.warn("warning: metrics endpoint: {} failed: {}", path, e.toString());
                    reply = new Reply(500, "text/plain; charset=utf-8", "internal error: " + e + "\n");
                }
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.type());
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(reply.status(), head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
