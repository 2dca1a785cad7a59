package org.sealpost.keyexchange.mtasts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StsPolicyTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static StsPolicy parse(String body) throws StsException {
        return StsPolicy.parse(body, "id1", NOW);
    }

    @Test
    void policy_withCrlf_isParsed() throws Exception {
        StsPolicy policy = parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"
                + "max_age: 604800\r\n");
        assertEquals(StsMode.ENFORCE, policy.mode());
        assertEquals(List.of("mail.example.com", "*.example.net"), policy.mx());
        assertEquals(604800, policy.maxAgeSeconds());
        assertEquals(NOW.plusSeconds(604800), policy.expires());
        assertEquals("id1", policy.id());
    }

    @Test
    void policy_withLf_noFinalLineEnd_andExtensions_isParsed() throws Exception {
        StsPolicy policy = parse("version: STSv1\nmode: testing\nfuture_key: some value\nmx: mx.example.com\nmax_age:86400");
        assertEquals(StsMode.TESTING, policy.mode());
        assertEquals(86400, policy.maxAgeSeconds());
    }

    @Test
    void maxAge_aboveTheLimit_isClamped() throws Exception {
        assertEquals(StsPolicy.MAX_AGE_LIMIT,
                parse("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 9999999999\n").maxAgeSeconds());
    }

    @Test
    void modeNone_needsNoMx() throws Exception {
        assertEquals(StsMode.NONE, parse("version: STSv1\nmode: none\nmax_age: 86400\n").mode());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "mode: enforce\nmx: mx.example.com\nmax_age: 86400\n", // no version
        "version: STSv1\nmx: mx.example.com\nmax_age: 86400\n", // no mode
        "version: STSv1\nmode: enforce\nmx: mx.example.com\n", // no max_age
        "version: STSv1\nmode: enforce\nmax_age: 86400\n", // no mx in enforce
        "version: STSv1\nmode: testing\nmax_age: 86400\n", // no mx in testing
        "version: STSv2\nmode: enforce\nmx: mx.example.com\nmax_age: 86400\n",
        "version: STSv1\nmode: Enforce\nmx: mx.example.com\nmax_age: 86400\n", // values are case-sensitive
        "version: STSv1\nmode: strict\nmx: mx.example.com\nmax_age: 86400\n",
        "version: STSv1\nmode: enforce\nmode: testing\nmx: mx.example.com\nmax_age: 86400\n",
        "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: -1\n",
        "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 12345678901\n", // 11 digits
        "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 1d\n",
        "version: STSv1\nmode: enforce\nmx: mx..example.com\nmax_age: 86400\n",
        "version: STSv1\nmode: enforce\nmx: *mx.example.com\nmax_age: 86400\n",
        "version: STSv1\nmode: enforce\nmx: mx.*.example.com\nmax_age: 86400\n",
        "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age 86400\n", // no colon
        "version : STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 86400\n", // space before colon
        "<html><body>not a policy</body></html>",
    })
    void invalidPolicy_isRejected(String body) {
        StsException e = assertThrows(StsException.class, () -> parse(body));
        assertEquals(StsFailure.POLICY_INVALID, e.failure());
    }

    @ParameterizedTest
    @CsvSource({
        "mail.example.com, mail.example.com, true",
        "mail.example.com, MAIL.Example.COM., true",
        "mail.example.com, other.example.com, false",
        "*.example.com, mx1.example.com, true",
        "*.example.com, MX1.EXAMPLE.COM., true",
        "*.example.com, example.com, false", // the wildcard stands for exactly one label
        "*.example.com, a.b.example.com, false",
        "*.example.com, mx1.example.com.evil.net, false",
        "*.example.com, mx1example.com, false",
    })
    void mxPatterns_matchAsRfc8461Section4_1Says(String pattern, String host, boolean matches) throws Exception {
        StsPolicy policy = parse("version: STSv1\nmode: enforce\nmx: " + pattern + "\nmax_age: 86400\n");
        assertEquals(matches, policy.matches(host));
    }

    @Test
    void mismatch_isRefusedInEnforce_andAllowedInTesting() throws Exception {
        StsPolicy enforce = parse("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 86400\n");
        StsPolicy testing = parse("version: STSv1\nmode: testing\nmx: mx.example.com\nmax_age: 86400\n");
        assertFalse(enforce.allows("rogue.example.net"));
        assertTrue(enforce.allows("mx.example.com"));
        assertFalse(testing.matches("rogue.example.net"));
        assertTrue(testing.allows("rogue.example.net"));
    }

    @Test
    void durableForm_roundTrips() throws Exception {
        StsPolicy policy = parse("version: STSv1\nmode: enforce\nmx: *.example.com\nmx: mx.example.net\nmax_age: 86400\n");
        assertEquals(policy, StsPolicy.decode(policy.encode()));
    }
}
