package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sealpost.signing.dkim.FakeDns;
import org.sealpost.signing.dkim.HeaderField;
import org.yaml.snakeyaml.Yaml;

/**
 * Messages signed by another implementation (croessner/dkim2, -06): three cases of its
 * received-dsn-golden.json (resources dkim2/vectors, excerpt), with the Ed25519 keys it publishes.
 * Used for what this code builds: each DSN is itself a DKIM2-signed message (i=1, mf=&lt;&gt;), and
 * the original it returns (message/rfc822) carries a two-hop chain; both are verified as they are.
 * The DSN-processing outcomes of -06 12.1.2 are checked with {@link Dkim2Returned}: a report whose
 * returned original verifies, whose newest hop is local and whose own signer is aligned with that
 * hop's recipient passes; one whose original does not verify fails. Not used: "propagation" and the
 * completion counters, which belong to passing a report on (-06 12.1.1), not built.
 */
class Dkim2ReceivedDsnVectorsTest {

    private static final Map<String, Object> CORPUS = load();

    static Stream<Arguments> cases() {
        return cases(CORPUS).stream().map(c -> Arguments.of(c.get("name"), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void dsnItself_verifiesAsADkim2Message(String name, Map<String, Object> c) throws Exception {
        String dsn = raw(c);
        Dkim2Signature outer = Dkim2Wire.parseSignature(HeaderField.of(dsn.substring(0, dsn.indexOf("\r\n"))));
        Dkim2Envelope envelope = new Dkim2Envelope(decode((String) c.get("reverse_path_base64")),
                ((List<String>) c.get("forward_paths_base64")).stream().map(Dkim2ReceivedDsnVectorsTest::decode).toList());

        Dkim2Result result = verifier(outer.timestamp()).verify(dsn.getBytes(StandardCharsets.ISO_8859_1), envelope).join();

        assertEquals("<>", envelope.reversePath());
        assertEquals(Dkim2Verdict.PASS, result.verdict(), result::toString);
        assertEquals(1, result.hops().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void returnedOriginal_verifiesAsUpstreamSays(String name, Map<String, Object> c) throws Exception {
        String dsn = raw(c);
        String part = "Content-Type: message/rfc822\r\n\r\n";
        // RFC 2046 5.1.1: the CRLF before the closing boundary belongs to the boundary.
        String original = dsn.substring(dsn.indexOf(part) + part.length(), dsn.lastIndexOf("\r\n--dsn-boundary--"));
        Dkim2Signature newest = Dkim2Wire.parseSignature(HeaderField.of(original.substring(0, original.indexOf("\r\n"))));
        Dkim2Envelope envelope = new Dkim2Envelope(newest.mailFrom().orElseThrow(), newest.rcptTo());

        Dkim2Result result = verifier(newest.timestamp()).verify(original.getBytes(StandardCharsets.ISO_8859_1), envelope).join();

        String embedded = (String) ((Map<String, Object>) c.get("expected")).get("embedded");
        if (embedded.equals("verified")) {
            assertEquals(Dkim2Verdict.PASS, result.verdict(), result::toString);
            assertEquals(2, result.hops().size());
        } else {
            assertEquals("unverified", embedded);
            assertEquals(Dkim2Verdict.FAIL, result.verdict(), result::toString);
            assertTrue(result.reason().startsWith("DKIM2-Signature i=2 sel incorrect signature"), result.reason());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void reportAuthentication_matchesUpstream(String name, Map<String, Object> c) throws Exception {
        String dsn = raw(c);
        Dkim2Signature outer = Dkim2Wire.parseSignature(HeaderField.of(dsn.substring(0, dsn.indexOf("\r\n"))));
        Dkim2Returned returned = new Dkim2Returned(1 << 20);
        byte[] octets = dsn.getBytes(StandardCharsets.ISO_8859_1);
        returned.update(octets, 0, octets.length);
        java.util.Set<String> local = java.util.Set.copyOf((List<String>) c.get("local_domains"));

        Dkim2Returned.Outcome outcome = returned.finish(dns(), local, outer.domain()).join();

        Map<String, Object> expected = (Map<String, Object>) c.get("expected");
        boolean ours = expected.get("embedded").equals("verified") && expected.get("local_hop").equals("local")
                && expected.get("outer_alignment").equals("aligned");
        assertEquals(ours ? Dkim2Verdict.PASS : Dkim2Verdict.FAIL, outcome.verdict(), outcome::reason);
    }

    // The keys of the corpus, at sel._domainkey.<domain>; the clock at the time the message was signed.
    @SuppressWarnings("unchecked")
    private static Dkim2Verifier verifier(long at) {
        return new Dkim2Verifier(dns(), Dkim2VerifierOptions.defaults()
                .withClock(Clock.fixed(Instant.ofEpochSecond(at), ZoneOffset.UTC)));
    }

    @SuppressWarnings("unchecked")
    private static FakeDns dns() {
        FakeDns dns = new FakeDns();
        ((Map<String, Map<String, String>>) CORPUS.get("keys")).forEach((domain, key) -> dns.txt(
                key.get("selector") + "._domainkey." + domain, "v=DKIM1; k=ed25519; p=" + key.get("ed25519_public_base64")));
        return dns;
    }

    private static String raw(Map<String, Object> c) {
        return new String(Base64.getDecoder().decode((String) c.get("raw_base64")), StandardCharsets.ISO_8859_1);
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cases(Map<String, Object> corpus) {
        return (List<Map<String, Object>>) corpus.get("cases");
    }

    private static Map<String, Object> load() {
        String name = "/dkim2/vectors/draft-ietf-dkim-dkim2-spec-06/received-dsn-excerpt.json";
        try (InputStream in = Dkim2ReceivedDsnVectorsTest.class.getResourceAsStream(name)) {
            assertNotNull(in, "missing " + name);
            Map<String, Object> corpus = new Yaml().load(in);
            assertEquals(Dkim2Wire.REVISION, corpus.get("draft"));
            return corpus;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
