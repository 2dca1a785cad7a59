package org.sealpost.transport.publishing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves our MTA-STS policy file over HTTPS on mta_sts_policy_listen (RFC 8461 3.3): {@code GET
 * /.well-known/mta-sts.txt} with the Host {@code mta-sts.DOMAIN} of one of our policy domains
 * answers 200 with the file as text/plain; any other host or path 404, any other method 405.
 * Senders fetch a policy once per max_age or when its id changes, so the JDK's HTTPS server is
 * enough and adds no dependency.
 */
public final class PolicyServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyServer.class);

    private final HttpsServer server;
    private final ExecutorService executor;

    private PolicyServer(HttpsServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code address} and serves {@code policy} for {@code domains}.
     *
     * @param tls the server's TLS context, whose certificate names mta-sts.DOMAIN for each domain
     */
    public static PolicyServer start(InetSocketAddress address, SSLContext tls, Set<String> domains, PolicyFile policy)
            throws IOException {
        HttpsServer server = HttpsServer.create(address, 32);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "mta-sts-policy");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        Set<String> hosts = domains.stream().map(PolicyFile::policyHost).collect(java.util.stream.Collectors.toSet());
        byte[] body = policy.bytes();
        server.createContext("/", exchange -> {
            try (exchange) {
                answer(exchange, hosts, body);
            } catch (IOException | RuntimeException e) {
                LOG.info("mta-sts policy: {}: {}", exchange.getRemoteAddress(), e.getMessage());
            }
        });
        server.start();
        return new PolicyServer(server, executor);
    }

    private static void answer(HttpExchange exchange, Set<String> hosts, byte[] policy) throws IOException {
        String method = exchange.getRequestMethod();
        String host = host(exchange.getRequestHeaders().getFirst("Host"));
        if (!exchange.getRequestURI().getRawPath().equals(PolicyFile.PATH) || !hosts.contains(host)) {
            reply(exchange, 404, "text/plain; charset=us-ascii",
                    "no MTA-STS policy here: expected GET https://mta-sts.DOMAIN/.well-known/mta-sts.txt\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII), method);
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            reply(exchange, 405, "text/plain; charset=us-ascii", new byte[0], method);
            return;
        }
        // RFC 8461 3.2: the policy is served as text/plain.
        reply(exchange, 200, "text/plain", policy, method);
        LOG.info("mta-sts policy: sent to {} for {}", exchange.getRemoteAddress().getAddress().getHostAddress(), host);
    }

    /** The Host header's name, lower case, without a port and a final dot; "" when missing. */
    static String host(String header) {
        if (header == null) {
            return "";
        }
        String name = header.trim().toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon > 0 && name.indexOf(']') < colon) {
            name = name.substring(0, colon);
        }
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static void reply(HttpExchange exchange, int status, String type, byte[] body, String method) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = method.equals("HEAD");
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The address bound (useful with port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
