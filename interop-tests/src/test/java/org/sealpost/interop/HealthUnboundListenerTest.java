package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.NxdomainDns;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpClient;

/**
 * another program holds 127.0.0.1:PORT; sealpost (listener mx on it, listener_bind_failure = retry) -> /health 503;
 * the program lets go -> sealpost binds it -> /health 200
 */
class HealthUnboundListenerTest {

    @TempDir
    Path dir;

    @Test
    void listenerWhosePortIsTaken_isReportedNotBound_untilTheRelayBindsItOnceFree() throws Exception {
        int submission = Loopback.freePort("127.0.0.1");
        int metricsPort = Loopback.freePort("127.0.0.1");
        try (NxdomainDns dns = new NxdomainDns();
                ServerSocket squatter = new ServerSocket()) {
            squatter.setReuseAddress(true);
            squatter.bind(new InetSocketAddress("127.0.0.1", 0));
            int mx = squatter.getLocalPort();
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("hostname", "relay.interop.test");
            settings.put("queue_directory", dir.resolve("sealpost/queue").toString());
            settings.put("listeners", "submission, mx");
            settings.put("listener.submission.role", "submission");
            settings.put("listener.submission.address", "127.0.0.1:" + submission);
            settings.put("listener.mx.role", "mx");
            settings.put("listener.mx.address", "127.0.0.1:" + mx);
            settings.put("local_domains", "local.interop.test");
            settings.put("listener_bind_failure", "retry");
            settings.put("dnssec", "off");
            settings.put("dns_resolvers", "127.0.0.1:" + dns.port());
            settings.put("metrics_address", "127.0.0.1:" + metricsPort);
            try (SealpostProcess sealpost = new SealpostProcess(dir.resolve("sealpost"), settings).start()) {
                sealpost.awaitLine("warning: listener mx: cannot listen on 127\\.0\\.0\\.1:" + mx
                        + ": address already in use; stop what uses it or change listener\\.mx\\.address; trying again "
                        + "every 5 seconds \\(listener_bind_failure = retry\\)", Duration.ofSeconds(5));
                HttpResponse<String> unbound = health(metricsPort);
                assertEquals(503, unbound.statusCode(), unbound.body());
                assertTrue(unbound.body().startsWith("failing\nlistener submission: ok: bound to 127.0.0.1:" + submission
                        + "\nlistener mx: FAIL: not bound: it accepts no connections\n"), unbound.body());

                squatter.close();
                sealpost.awaitLine("listener mx \\(mx\\) on /127\\.0\\.0\\.1:" + mx + " \\(bound after retrying\\)",
                        Duration.ofSeconds(15));
                HttpResponse<String> bound = health(metricsPort);
                assertEquals(200, bound.statusCode(), bound.body());
                assertTrue(bound.body().contains("listener mx: ok: bound to 127.0.0.1:" + mx + "\n"), bound.body());
                try (SmtpClient client = new SmtpClient("127.0.0.1", mx)) {
                    assertTrue(client.ask("QUIT").startsWith("221"));
                }
            }
        }
    }

    private static HttpResponse<String> health(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
