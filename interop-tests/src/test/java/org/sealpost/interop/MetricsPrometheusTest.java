package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.NxdomainDns;
import org.sealpost.interop.support.Peers;
import org.sealpost.interop.support.RunningProcess;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.ShortProcess;
import org.sealpost.interop.support.SmtpClient;
import org.sealpost.interop.support.SmtpSink;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;

/**
 * client -> sealpost submission -> smtp-sink (accepts) and smtp-sink -r RCPT (defers); client -> sealpost mx
 * (relay access denied, or checked -> smtp-sink); Prometheus text parser (python3-prometheus-client) <- sealpost /metrics
 *
 * <p>After a known load the scraped counters equal the load; /health answers 200, and 503 naming DNS once
 * the resolver stops answering.
 */
class MetricsPrometheusTest {

    private static final int SENT = 20;
    private static final int SIGNED = 2;
    private static final int DEFERRED = 5;
    private static final int RELAY_DENIED = 3;
    /** Arriving at the mx listener and checked: SPF, DKIM, DMARC and ARC all none (every lookup NXDOMAIN). */
    private static final int INBOUND = 1;

    /** Reads the text format on stdin with Prometheus' own client library; one "name|k=v,...|value" line per sample. */
    private static final String PARSER = String.join("\n",
            "import sys",
            "from prometheus_client.parser import text_string_to_metric_families",
            "for family in text_string_to_metric_families(sys.stdin.read()):",
            "    for s in family.samples:",
            "        labels = ','.join(k + '=' + v for k, v in sorted(s.labels.items()))",
            "        print(s.name + '|' + labels + '|' + repr(float(s.value)))");

    @TempDir
    Path dir;

    @Test
    void countersAfterAKnownLoad_equalTheLoad_andHealthFailsWhenDnsStopsAnswering() throws Exception {
        requirePrometheusClient();
        Peers.require("postfix", "/usr/sbin/smtp-sink");
        GeneratedKey key = DkimKeys.generate(KeyType.ED25519, 0);
        Files.createDirectories(dir.resolve("dkim"));
        Files.writeString(dir.resolve("dkim/ed.pem"), key.privateKeyPem());
        int submission = Loopback.freePort("127.0.0.1");
        int mx = Loopback.freePort("127.0.0.1");
        int metricsPort = Loopback.freePort("127.0.0.1");
        int deferring = Loopback.freePort("127.0.0.1");
        try (NxdomainDns dns = new NxdomainDns();
                SmtpSink sink = new SmtpSink(dir, "127.0.0.1");
                RunningProcess refusing = RunningProcess.start(List.of("/usr/sbin/smtp-sink", "-u", "nobody", "-r", "RCPT",
                        "127.0.0.1:" + deferring, "64"), dir.resolve("deferring.log"))) {
            Loopback.awaitListening("127.0.0.1", deferring, Duration.ofSeconds(10));
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("hostname", "relay.interop.test");
            settings.put("queue_directory", dir.resolve("sealpost/queue").toString());
            settings.put("listeners", "submission, mx");
            settings.put("listener.submission.role", "submission");
            settings.put("listener.submission.address", "127.0.0.1:" + submission);
            settings.put("listener.mx.role", "mx");
            settings.put("listener.mx.address", "127.0.0.1:" + mx);
            settings.put("local_domains", "local.interop.test");
            settings.put("route.sink.interop.test", "[127.0.0.1]:" + sink.port);
            settings.put("route.local.interop.test", "[127.0.0.1]:" + sink.port);
            settings.put("route.defer.interop.test", "[127.0.0.1]:" + deferring);
            settings.put("dkim_key.signed.interop.test", "ed:" + dir.resolve("dkim/ed.pem"));
            settings.put("queue_min_backoff", "1h"); // each deferred message is tried once while the test runs
            settings.put("queue_max_backoff", "1h");
            settings.put("dnssec", "off");
            settings.put("dns_resolvers", "127.0.0.1:" + dns.port());
            settings.put("dns_timeout", "1s");
            settings.put("metrics_address", "127.0.0.1:" + metricsPort);
            try (SealpostProcess sealpost = new SealpostProcess(dir.resolve("sealpost"), settings).start()) {
                sealpost.awaitLine("metrics on http://127\\.0\\.0\\.1:" + metricsPort + "/metrics", Duration.ofSeconds(5));
                try (SmtpClient client = new SmtpClient("127.0.0.1", submission)) {
                    for (int i = 0; i < SENT; i++) {
                        String from = i < SIGNED ? "alice@signed.interop.test" : "alice@plain.interop.test";
                        assertTrue(client.send(from, "bob" + i + "@sink.interop.test", "From: " + from
                                + "\r\nSubject: load " + i + "\r\n\r\nload-token-" + i).startsWith("250"));
                    }
                    for (int i = 0; i < DEFERRED; i++) {
                        assertTrue(client.send("alice@plain.interop.test", "carol" + i + "@defer.interop.test",
                                "From: alice@plain.interop.test\r\nSubject: later\r\n\r\ndeferred-" + i).startsWith("250"));
                    }
                }
                try (SmtpClient client = new SmtpClient("127.0.0.1", mx)) {
                    for (int i = 0; i < RELAY_DENIED; i++) {
                        assertTrue(client.ask("MAIL FROM:<spammer@elsewhere.interop.test>").startsWith("250"));
                        assertTrue(client.ask("RCPT TO:<victim" + i + "@elsewhere.interop.test>")
                                .startsWith("554 5.7.1"));
                        assertTrue(client.ask("RSET").startsWith("250"));
                    }
                    assertTrue(client.send("alice@sender.interop.test", "bob@local.interop.test",
                            "From: alice@sender.interop.test\r\nSubject: inbound\r\n\r\ninbound-token").startsWith("250"));
                }
                assertEquals(SENT + INBOUND, sealpost.awaitCount("status=sent", SENT + INBOUND, Duration.ofSeconds(30)),
                        sealpost.output());
                assertEquals(DEFERRED, sealpost.awaitCount("status=deferred", DEFERRED, Duration.ofSeconds(30)),
                        sealpost.output());

                Map<String, Double> samples;
                // One connection held open while the endpoint is scraped: the gauge counts it.
                try (SmtpClient held = new SmtpClient("127.0.0.1", mx)) {
                    samples = parse(scrape(metricsPort, "/metrics").body());
                }
                assertEquals(SENT + DEFERRED, samples.get("sealpost_messages_received_total|listener=submission,"
                        + "result=accepted,stage=data|"), samples.toString());
                assertEquals(RELAY_DENIED, samples.get("sealpost_messages_received_total|listener=mx,result=refused,"
                        + "stage=rcpt|"), samples.toString());
                assertEquals(INBOUND, samples.get("sealpost_messages_received_total|listener=mx,result=accepted,stage=data|"),
                        samples.toString());
                assertEquals(SENT + INBOUND, samples.get("sealpost_deliveries_total|class=none,status=sent|"),
                        samples.toString());
                assertEquals(DEFERRED, samples.get("sealpost_deliveries_total|class=refused-4xx,status=deferred|"),
                        samples.toString());
                assertEquals(SENT + INBOUND, samples.get("sealpost_delivery_tls_total|level=none|"), samples.toString());
                assertEquals(INBOUND, samples.get("sealpost_spf_results_total|result=none|"), samples.toString());
                assertEquals(INBOUND, samples.get("sealpost_dkim_results_total|result=none|"), samples.toString());
                assertEquals(INBOUND, samples.get("sealpost_arc_results_total|result=none|"), samples.toString());
                assertEquals(INBOUND, samples.get("sealpost_dmarc_results_total|disposition=none,result=none|"),
                        samples.toString());
                assertEquals(INBOUND, samples.get("sealpost_inbound_verdicts_total|action=accept|"), samples.toString());
                assertEquals(SIGNED, samples.get("sealpost_dkim_signed_total||"), samples.toString());
                assertEquals(DEFERRED, samples.get("sealpost_queue_messages||"), samples.toString());
                assertTrue(samples.get("sealpost_queue_oldest_message_age_seconds||") > 0, samples.toString());
                assertEquals(1, samples.get("sealpost_connections_open|listener=mx|"), samples.toString());
                assertEquals(0, samples.get("sealpost_connections_open|listener=submission|"), samples.toString());
                assertEquals(0, samples.get("sealpost_pin_events_total|event=violation|"), samples.toString());
                assertTrue(samples.containsKey("sealpost_dns_cache_requests_total|result=hit|")
                        && samples.get("sealpost_dns_cache_requests_total|result=miss|") > 0, samples.toString());
                assertTrue(samples.keySet().stream().anyMatch(name -> name.startsWith("jvm_memory_used_bytes|")),
                        samples.toString());
                assertTrue(samples.keySet().stream().noneMatch(name -> name.contains("@") || name.contains("interop.test")),
                        "no address or domain in a label: " + samples.keySet());

                HttpResponse<String> healthy = scrape(metricsPort, "/health");
                assertEquals(200, healthy.statusCode(), healthy.body());
                assertTrue(healthy.body().contains("listener submission: ok: bound to 127.0.0.1:" + submission + "\n")
                        && healthy.body().contains("listener mx: ok: bound to 127.0.0.1:" + mx + "\n")
                        && healthy.body().contains("queue: ok: writable")
                        && healthy.body().contains("dns: ok: answers (relay.interop.test A: nxdomain)"), healthy.body());

                dns.close();
                Thread.sleep(5_000); // the DNS check's result of a moment ago is reused for 5 seconds
                HttpResponse<String> failing = scrape(metricsPort, "/health");
                assertEquals(503, failing.statusCode(), failing.body());
                assertTrue(failing.body().startsWith("failing\n") && failing.body().contains("queue: ok: writable")
                        && failing.body().contains("dns: FAIL: no answer for relay.interop.test A"), failing.body());
            }
        }
    }

    /** As {@link Peers#require}, for a Python module rather than a program. */
    private void requirePrometheusClient() throws IOException, InterruptedException {
        ShortProcess.Result imported = ShortProcess.run(List.of("/usr/bin/python3", "-c",
                "import prometheus_client.parser"), Map.of(), new byte[0], dir, Duration.ofSeconds(20));
        if (imported.status() != 0) {
            String message = "python3's prometheus_client is missing: install the Debian package python3-prometheus-client "
                    + "(scripts/install-peers.sh installs every test peer)";
            if ("1".equals(System.getenv("SEALPOST_REQUIRE_PEERS"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
    }

    private static HttpResponse<String> scrape(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The samples as Prometheus' parser reads them, by "name|labels|". */
    private Map<String, Double> parse(String exposition) throws IOException, InterruptedException {
        ShortProcess.Result parsed = ShortProcess.run(List.of("/usr/bin/python3", "-c", PARSER), Map.of(),
                exposition.getBytes(StandardCharsets.UTF_8), dir, Duration.ofSeconds(20));
        assertEquals(0, parsed.status(), parsed.describe() + "\n" + exposition);
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : parsed.out().split("\n")) {
            int last = line.lastIndexOf('|');
            if (last > 0) {
                samples.put(line.substring(0, last + 1), Double.parseDouble(line.substring(last + 1)));
            }
        }
        return samples;
    }
}
