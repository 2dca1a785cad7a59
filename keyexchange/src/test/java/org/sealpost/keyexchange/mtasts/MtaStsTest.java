package org.sealpost.keyexchange.mtasts;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.cache.DurableStore;
import org.sealpost.keyexchange.dane.Chains;

/**
 * sealpost MtaSts ──TXT──▶ FakeDns; ──HTTPS──▶ WireMock as mta-sts.example.com on 127.0.0.1,
 * its certificate issued by a test authority that only the test trusts.
 */
class MtaStsTest {

    private static final String DOMAIN = "example.com";
    private static final String POLICY_HOST = "mta-sts.example.com";
    private static final String PATH = "/.well-known/mta-sts.txt";
    private static final String ENFORCE = "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: *.mx.example.net\r\n"
            + "max_age: 86400\r\n";

    @TempDir
    static Path keys;
    private static Chains.Issued authority;
    private static WireMockServer policyHost;

    @TempDir
    Path folder;
    private final FakeDns dns = new FakeDns();
    private final TestClock clock = new TestClock(Instant.parse("2026-06-01T00:00:00Z"));
    private final List<MtaSts> opened = new ArrayList<>();

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @BeforeAll
    static void startPolicyHost() throws Exception {
        authority = Chains.issue("Sealpost Test CA", null, true);
        policyHost = server(Chains.issue(POLICY_HOST, authority, false), authority, "good");
    }

    @AfterAll
    static void stopPolicyHost() {
        policyHost.stop();
    }

    /** WireMock serving HTTPS alone on 127.0.0.1, with {@code leaf} and its issuer as its chain. */
    private static WireMockServer server(Chains.Issued leaf, Chains.Issued issuer, String name) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", leaf.keys().getPrivate(), "secret".toCharArray(),
                new Certificate[] {leaf.certificate(), issuer.certificate()});
        Path file = keys.resolve(name + ".p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "secret".toCharArray());
        }
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1")
                .httpDisabled(true).dynamicHttpsPort().keystorePath(file.toString()).keystoreType("PKCS12")
                .keystorePassword("secret").keyManagerPassword("secret"));
        server.start();
        return server;
    }

    @BeforeEach
    void zone() throws Exception {
        policyHost.resetAll();
        dns.host(POLICY_HOST, "127.0.0.1").txt("_mta-sts." + DOMAIN, "v=STSv1; id=one;");
    }

    @AfterEach
    void close() {
        opened.forEach(MtaSts::close);
    }

    private MtaSts client(int port) throws Exception {
        return client(port, Duration.ofSeconds(5));
    }

    private MtaSts client(int port, Duration firstWait) throws Exception {
        StsSettings settings = new StsSettings(port, Set.of(new TrustAnchor(authority.certificate(), null)),
                Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5), firstWait);
        MtaSts client = new MtaSts(dns, new DurableStore(folder.resolve("mta-sts")), settings, clock);
        opened.add(client);
        return client;
    }

    private MtaSts client() throws Exception {
        return client(policyHost.httpsPort());
    }

    private static void serve(WireMockServer server, ResponseDefinitionBuilder response) {
        server.stubFor(get(urlEqualTo(PATH)).willReturn(response));
    }

    private static ResponseDefinitionBuilder policy(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/plain; charset=utf-8").withBody(body);
    }

    private static StsPolicy found(StsResult result) {
        return assertInstanceOf(StsResult.Found.class, result, () -> result.toString()).policy();
    }

    private static StsFailure failed(StsResult result) {
        StsResult.Absent absent = assertInstanceOf(StsResult.Absent.class, result, () -> result.toString());
        assertTrue(absent.failure().isPresent(), absent.toString());
        return absent.failure().get();
    }

    @Test
    void goodPolicy_isFetchedOverHttps() throws Exception {
        serve(policyHost, policy(ENFORCE));
        StsPolicy policy = found(client().policyFor("Example.COM.").get());
        assertEquals(StsMode.ENFORCE, policy.mode());
        assertEquals("one", policy.id());
        assertEquals(List.of("mx1.example.com", "*.mx.example.net"), policy.mx());
        assertEquals(clock.instant().plusSeconds(86400), policy.expires());
        policyHost.verify(1, getRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void wrongContentType_isInvalid() throws Exception {
        serve(policyHost, policy(ENFORCE).withHeader("Content-Type", "text/html"));
        assertEquals(StsFailure.POLICY_INVALID, failed(client().policyFor(DOMAIN).get()));
    }

    @Test
    void redirect_isNotFollowed() throws Exception {
        serve(policyHost, aResponse().withStatus(301).withHeader("Location", "https://elsewhere.example/policy.txt"));
        StsResult result = client().policyFor(DOMAIN).get();
        assertEquals(StsFailure.POLICY_FETCH_ERROR, failed(result));
        assertTrue(((StsResult.Absent) result).reason().contains("redirect"), result.toString());
    }

    @Test
    void oversizedBody_isInvalid() throws Exception {
        serve(policyHost, policy(ENFORCE + "x_padding: " + "a".repeat(PolicyHttp.BODY_LIMIT) + "\r\n"));
        assertEquals(StsFailure.POLICY_INVALID, failed(client().policyFor(DOMAIN).get()));
    }

    @Test
    void malformedPolicy_isInvalid() throws Exception {
        serve(policyHost, policy("version: STSv1\nmode: enforce\nmax_age: 86400\n"));
        assertEquals(StsFailure.POLICY_INVALID, failed(client().policyFor(DOMAIN).get()));
    }

    @Test
    void serverError_isAFetchError() throws Exception {
        serve(policyHost, aResponse().withStatus(500));
        assertEquals(StsFailure.POLICY_FETCH_ERROR, failed(client().policyFor(DOMAIN).get()));
    }

    @Test
    void changedId_fetchesThePolicyAgain() throws Exception {
        serve(policyHost, policy(ENFORCE));
        MtaSts client = client();
        assertEquals("one", found(client.policyFor(DOMAIN).get()).id());
        assertEquals("one", found(client.policyFor(DOMAIN).get()).id());
        policyHost.verify(1, getRequestedFor(urlEqualTo(PATH)));

        serve(policyHost, policy("version: STSv1\nmode: testing\nmx: mx2.example.com\nmax_age: 3600\n"));
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=two");
        StsPolicy policy = found(client.policyFor(DOMAIN).get());
        assertEquals("two", policy.id());
        assertEquals(StsMode.TESTING, policy.mode());
        assertEquals(List.of("mx2.example.com"), policy.mx());
        policyHost.verify(2, getRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void failedFetch_keepsTheCachedPolicyWhileItIsValid() throws Exception {
        serve(policyHost, policy(ENFORCE));
        MtaSts client = client();
        found(client.policyFor(DOMAIN).get());

        serve(policyHost, aResponse().withStatus(503));
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=two");
        clock.advance(Duration.ofHours(1));
        StsPolicy policy = found(client.policyFor(DOMAIN).get());
        assertEquals("one", policy.id());
        assertEquals(StsMode.ENFORCE, policy.mode());

        clock.advance(Duration.ofDays(1)); // past max_age: the old policy is gone
        assertEquals(StsFailure.POLICY_FETCH_ERROR, failed(client.policyFor(DOMAIN).get()));
    }

    @Test
    void mxThatDoesNotMatch_isRefusedInEnforce_andReportedInTesting() throws Exception {
        serve(policyHost, policy(ENFORCE));
        StsPolicy enforce = found(client().policyFor(DOMAIN).get());
        assertTrue(enforce.allows("a.mx.example.net"));
        assertFalse(enforce.allows("mx.attacker.example"));

        serve(policyHost, policy(ENFORCE.replace("enforce", "testing")));
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=two");
        StsPolicy testing = found(opened.get(0).policyFor(DOMAIN).get());
        assertEquals(StsMode.TESTING, testing.mode());
        assertFalse(testing.matches("mx.attacker.example"));
        assertTrue(testing.allows("mx.attacker.example"));
    }

    @Test
    void noTxtRecord_meansNoPolicy_withoutAFailure() throws Exception {
        dns.txt.clear();
        StsResult result = client().policyFor(DOMAIN).get();
        assertEquals(Optional.empty(), assertInstanceOf(StsResult.Absent.class, result).failure());
        policyHost.verify(0, getRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void severalOrInvalidTxtRecords_meanNoPolicy() throws Exception {
        MtaSts client = client();
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=one", "v=STSv1; id=two");
        assertInstanceOf(StsResult.Absent.class, client.policyFor(DOMAIN).get());
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=not-alphanumeric");
        assertInstanceOf(StsResult.Absent.class, client.policyFor(DOMAIN).get());
        policyHost.verify(0, getRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void missingTxtRecord_keepsTheCachedPolicy() throws Exception {
        serve(policyHost, policy(ENFORCE));
        MtaSts client = client();
        found(client.policyFor(DOMAIN).get());
        dns.txt.clear();
        assertEquals("one", found(client.policyFor(DOMAIN).get()).id());
    }

    @Test
    void maxAge_isClamped() throws Exception {
        serve(policyHost, policy(ENFORCE.replace("86400", "99999999")));
        assertEquals(StsPolicy.MAX_AGE_LIMIT, found(client().policyFor(DOMAIN).get()).maxAgeSeconds());
    }

    @Test
    void concurrentRequests_shareOneFetch() throws Exception {
        // The delay keeps the first fetch open while the others arrive.
        serve(policyHost, policy(ENFORCE).withFixedDelay(300));
        MtaSts client = client();
        List<CompletableFuture<StsResult>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(client.policyFor(DOMAIN));
        }
        for (CompletableFuture<StsResult> result : results) {
            assertEquals("one", found(result.get()).id());
        }
        policyHost.verify(1, getRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void durablePolicy_survivesANewInstance() throws Exception {
        serve(policyHost, policy(ENFORCE));
        found(client().policyFor(DOMAIN).get());
        opened.remove(0).close();
        policyHost.resetAll(); // the policy host now answers 404

        StsPolicy policy = found(client().policyFor(DOMAIN).get());
        assertEquals(StsMode.ENFORCE, policy.mode());
        assertEquals(clock.instant().plusSeconds(86400), policy.expires());
        policyHost.verify(0, getRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void modeNone_replacesTheCachedPolicy() throws Exception {
        serve(policyHost, policy(ENFORCE));
        found(client().policyFor(DOMAIN).get());
        serve(policyHost, policy("version: STSv1\nmode: none\nmax_age: 86400\n"));
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=withdrawn");
        assertEquals(StsMode.NONE, found(opened.get(0).policyFor(DOMAIN).get()).mode());
        assertEquals(StsMode.NONE, found(client().policyFor(DOMAIN).get()).mode()); // from the durable store
    }

    @Test
    void policyInItsLastQuarter_isRefreshedInTheBackground() throws Exception {
        serve(policyHost, policy(ENFORCE));
        MtaSts client = client();
        found(client.policyFor(DOMAIN).get());
        serve(policyHost, policy(ENFORCE.replace("enforce", "testing")));
        clock.advance(Duration.ofHours(19)); // of 24

        assertEquals(StsMode.ENFORCE, found(client.policyFor(DOMAIN).get()).mode()); // served while refreshing
        StsMode mode = StsMode.ENFORCE;
        for (int i = 0; i < 100 && mode == StsMode.ENFORCE; i++) {
            Thread.sleep(50);
            mode = found(client.policyFor(DOMAIN).get()).mode();
        }
        assertEquals(StsMode.TESTING, mode);
        assertEquals(clock.instant().plusSeconds(86400), found(client.policyFor(DOMAIN).get()).expires());
    }

    @Test
    void slowFetch_isWaitedForAtMostFirstWait_andTheArrivingPolicyIsHeld() throws Exception {
        serve(policyHost, policy(ENFORCE).withFixedDelay(1000));
        MtaSts client = client(policyHost.httpsPort(), Duration.ofMillis(200));
        StsResult first = client.policyFor(DOMAIN).get();
        assertEquals(StsFailure.POLICY_FETCH_ERROR, failed(first));
        assertTrue(((StsResult.Absent) first).reason().contains("in time"), first.toString());
        StsResult later = first;
        for (int i = 0; i < 100 && later instanceof StsResult.Absent; i++) {
            Thread.sleep(50);
            later = client.policyFor(DOMAIN).get();
        }
        assertEquals(StsMode.ENFORCE, found(later).mode());
    }

    @Test
    void unresolvablePolicyHost_isAFetchError() throws Exception {
        dns.addresses.clear();
        assertEquals(StsFailure.POLICY_FETCH_ERROR, failed(client().policyFor(DOMAIN).get()));
    }

    @Test
    void certificateFromAnotherAuthority_isWebPkiInvalid() throws Exception {
        Chains.Issued stranger = Chains.issue("Some Other CA", null, true);
        WireMockServer other = server(Chains.issue(POLICY_HOST, stranger, false), stranger, "stranger");
        try {
            serve(other, policy(ENFORCE));
            assertEquals(StsFailure.WEBPKI_INVALID, failed(client(other.httpsPort()).policyFor(DOMAIN).get()));
            other.verify(0, getRequestedFor(urlEqualTo(PATH)));
        } finally {
            other.stop();
        }
    }

    @Test
    void certificateForAnotherName_isWebPkiInvalid() throws Exception {
        WireMockServer other = server(Chains.issue("mta-sts.example.org", authority, false), authority, "wrongname");
        try {
            serve(other, policy(ENFORCE));
            assertEquals(StsFailure.WEBPKI_INVALID, failed(client(other.httpsPort()).policyFor(DOMAIN).get()));
            other.verify(0, getRequestedFor(urlEqualTo(PATH)));
        } finally {
            other.stop();
        }
    }
}
