package org.sealpost.transport.tlsrpt;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.transport.dkim.StaticTxt;
import org.sealpost.transport.queue.Envelope;

/**
 * Counting, then sending: sealpost -> WireMock over HTTPS (our test CA) and into the queue, the
 * report read back field by field.
 */
class TlsReportingTest {

    private static final Instant DAY_ONE = Instant.parse("2026-12-01T13:00:00Z");
    private static final Instant NEXT_DAY = Instant.parse("2026-12-02T00:20:00Z");

    @TempDir
    Path directory;

    private WireMockServer wiremock;
    private ReportSettings settings;
    private final Map<String, String> txt = new HashMap<>();
    private final CapturingSink queue = new CapturingSink();

    @BeforeEach
    void start() throws Exception {
        TestAuthority authority = new TestAuthority();
        wiremock = new WireMockServer(WireMockConfiguration.options().httpDisabled(true).dynamicHttpsPort()
                .bindAddress("127.0.0.1").keystorePath(authority.writeServerKeyStore(directory.resolve("server.p12")).toString())
                .keystorePassword(TestAuthority.PASSWORD).keyManagerPassword(TestAuthority.PASSWORD).keystoreType("PKCS12"));
        wiremock.start();
        wiremock.stubFor(post(urlEqualTo("/tlsrpt")).willReturn(aResponse().withStatus(201)));
        wiremock.stubFor(post(urlEqualTo("/broken")).willReturn(aResponse().withStatus(500)));
        settings = new ReportSettings("tlsrpt@example.org", "Example \"Sending\" Org", "tlsrpt-ops@example.org",
                "relay.example.org", List.of(), ReportPoster.trusting(authority.writeCaFile(directory.resolve("ca.pem"))));
    }

    @AfterEach
    void stop() {
        wiremock.stop();
    }

    /**
     * The JSON of a POSTed report. WireMock un-gzips a gzip body before a test sees it, so that the
     * body went gzipped on the wire is checked by its length: the JDK's gzip is deterministic (no
     * time stamp), and the Content-Length sent is that of the JSON gzipped.
     */
    private static JsonNode posted(LoggedRequest request) throws Exception {
        byte[] body = request.getBody();
        byte[] json = body.length > 1 && body[0] == (byte) 0x1f && body[1] == (byte) 0x8b
                ? new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes() : body;
        java.io.ByteArrayOutputStream gzipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(gzipped)) {
            gzip.write(json);
        }
        assertEquals(String.valueOf(gzipped.size()), request.getHeader("Content-Length"), "the body went gzipped");
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    }

    private String https(String path) {
        return "https://127.0.0.1:" + wiremock.httpsPort() + path;
    }

    /** The sessions of {@link AggregateReportTest#report()}, counted one by one on DAY_ONE. */
    private void countTheDay(TlsReporting reporting) {
        for (int i = 0; i < 5326; i++) {
            reporting.success(AggregateReportTest.STS);
        }
        for (int i = 0; i < 100; i++) {
            reporting.failure(AggregateReportTest.STS, new FailureDetail(ResultType.CERTIFICATE_EXPIRED,
                    "2001:db8:abcd:12::1", "mx1.mx.example.net", "mx1.mx.example.net", "203.0.113.56",
                    "https://example.org/why", "X509_V_ERR_CERT_HAS_EXPIRED"));
        }
        for (int i = 0; i < 200; i++) {
            reporting.failure(AggregateReportTest.STS, FailureDetail.of(ResultType.STARTTLS_NOT_SUPPORTED,
                    "2001:db8:abcd:12::1", "mx2.mx.example.net", "203.0.113.57", ""));
        }
        for (int i = 0; i < 3; i++) {
            reporting.success(AppliedPolicy.none("example.net"));
        }
    }

    @Test
    void dayCountedBeforeARestart_isPostedAndMailed_asRfc8460Says() throws Exception {
        try (TlsReporting reporting = TlsReporting.open(directory, Clock.fixed(DAY_ONE, ZoneOffset.UTC))) {
            countTheDay(reporting);
            reporting.success(AppliedPolicy.dane("mx.no-record.example", List.of("3 1 1 00")));
        } // saved at close: the next open reads it back
        txt.put("_smtp._tls.example.net", "v=TLSRPTv1; rua=" + https("/tlsrpt") + ",mailto:reports@example.net");

        List<String> lines;
        try (TlsReporting reporting = TlsReporting.open(directory, Clock.fixed(NEXT_DAY, ZoneOffset.UTC))) {
            lines = reporting.send(settings, new StaticTxt(txt), queue, false);
        }

        List<LoggedRequest> posts = wiremock.findAll(postRequestedFor(urlEqualTo("/tlsrpt")));
        assertEquals(1, posts.size());
        assertEquals("application/tlsrpt+gzip", posts.get(0).getHeader("Content-Type"));
        JsonNode posted = posted(posts.get(0));
        String reportId = posted.get("report-id").textValue();
        AggregateReportTest.assertReport(posted, reportId);
        assertTrue(reportId.endsWith(".example.net@example.org"), reportId);

        assertEquals(1, queue.queued.size());
        Envelope envelope = queue.queued.get(0).envelope();
        assertEquals("tlsrpt@example.org", envelope.sender());
        assertEquals("reports@example.net", envelope.recipients().get(0).address());
        assertTrue(TlsReporting.isReport(envelope), "the report's own delivery is not counted");
        AggregateReport report = new AggregateReport(settings.organization(), settings.contact(), "example.org",
                LocalDate.of(2026, 12, 1), "example.net", reportId, Map.of());
        byte[] gzipped = ReportMailTest.assertReportMail(queue.queued.get(0).content(), report, "tlsrpt@example.org",
                "reports@example.net");
        AggregateReportTest.assertReport(AggregateReportTest.parse(gzipped), reportId);

        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.contains("tlsrpt: mx.no-record.example 2026-12-01: no report, _smtp._tls.mx.no-record.example "
                + "has no TXT record"), lines.toString());
        // Both domains are done: nothing is sent twice.
        try (TlsReporting reporting = TlsReporting.open(directory, Clock.fixed(NEXT_DAY, ZoneOffset.UTC))) {
            assertEquals(List.of(), reporting.send(settings, new StaticTxt(txt), queue, false));
        }
    }

    @Test
    void today_waitsUnlessIncluded() throws Exception {
        txt.put("_smtp._tls.example.net", "v=TLSRPTv1; rua=" + https("/tlsrpt"));
        try (TlsReporting reporting = TlsReporting.open(directory, Clock.fixed(DAY_ONE, ZoneOffset.UTC))) {
            reporting.success(AggregateReportTest.STS);
            assertEquals(List.of(), reporting.send(settings, new StaticTxt(txt), queue, false));
            assertEquals(1, reporting.send(settings, new StaticTxt(txt), queue, true).size());
        }
        assertEquals(1, wiremock.findAll(postRequestedFor(urlEqualTo("/tlsrpt"))).size());
    }

    @Test
    void failedPost_keepsTheCounts_forTheNextRun() throws Exception {
        txt.put("_smtp._tls.example.net", "v=TLSRPTv1; rua=" + https("/broken"));
        try (TlsReporting reporting = TlsReporting.open(directory, Clock.fixed(DAY_ONE, ZoneOffset.UTC))) {
            reporting.success(AggregateReportTest.STS);
        }
        try (TlsReporting reporting = TlsReporting.open(directory, Clock.fixed(NEXT_DAY, ZoneOffset.UTC))) {
            List<String> lines = reporting.send(settings, new StaticTxt(txt), queue, false);
            assertTrue(lines.get(0).contains("failed: " + https("/broken") + " (HTTP status 500); kept for the next run"),
                    lines.toString());
        }
        txt.put("_smtp._tls.example.net", "v=TLSRPTv1; rua=" + https("/tlsrpt"));
        try (TlsReporting reporting = TlsReporting.open(directory, Clock.fixed(NEXT_DAY, ZoneOffset.UTC))) {
            List<String> lines = reporting.send(settings, new StaticTxt(txt), queue, false);
            assertTrue(lines.get(0).contains("sent to " + https("/tlsrpt")), lines.toString());
        }
        JsonNode posted = posted(wiremock.findAll(postRequestedFor(urlEqualTo("/tlsrpt"))).get(0));
        assertEquals(1, posted.get("policies").get(0).get("summary").get("total-successful-session-count").longValue());
    }

    @Test
    void untrustedServer_isNotPostedTo() throws Exception {
        ReportSettings trustingDefaults = new ReportSettings(settings.from(), settings.organization(), "",
                settings.hostname(), List.of(), ReportPoster.trusting(null));
        txt.put("_smtp._tls.example.net", "v=TLSRPTv1; rua=" + https("/tlsrpt"));
        try (TlsReporting reporting = TlsReporting.open(directory, Clock.fixed(NEXT_DAY, ZoneOffset.UTC))) {
            reporting.success(AggregateReportTest.STS);
            List<String> lines = reporting.send(trustingDefaults, new StaticTxt(txt), queue, true);
            assertTrue(lines.get(0).contains("failed: " + https("/tlsrpt")), lines.toString());
        }
        assertEquals(0, wiremock.findAll(postRequestedFor(urlEqualTo("/tlsrpt"))).size());
    }

    @Test
    void dailyRound_startsAfterTheNextMidnightUtc_withinTheHour() {
        assertEquals(Instant.parse("2026-12-02T00:00:00Z"), TlsReporting.nextRound(DAY_ONE, 0));
        assertEquals(Instant.parse("2026-12-02T00:59:59Z"), TlsReporting.nextRound(DAY_ONE, 3599));
        assertEquals(Instant.parse("2026-12-03T00:10:00Z"), TlsReporting.nextRound(NEXT_DAY, 600));
    }
}
