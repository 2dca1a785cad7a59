package org.sealpost.keyexchange.dane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sealpost.dnssec.TlsaRecord;

/** In the style of Postfix's tls_dane tests: usage x selector x matching type, matching and not. */
class DaneMatcherTest {

    private static final List<String> NAMES = List.of("mx.example.test", "example.test");
    private static Chains.Issued root;
    private static Chains.Issued intermediate;
    private static Chains.Issued leaf;
    private static Chains.Issued stranger;
    private static List<X509Certificate> chain;

    @BeforeAll
    static void chains() throws Exception {
        root = Chains.issue("Example Root CA", null, true);
        intermediate = Chains.issue("Example Intermediate CA", root, true);
        leaf = Chains.issue("mx.example.test", intermediate, false);
        stranger = Chains.issue("mx.example.test", Chains.issue("Other CA", null, true), false);
        chain = List.of(leaf.certificate(), intermediate.certificate(), root.certificate());
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (int usage : new int[] {2, 3}) {
            for (int selector : new int[] {0, 1}) {
                for (int matching : new int[] {0, 1, 2}) {
                    cases.add(Arguments.of(usage, selector, matching, true));
                    cases.add(Arguments.of(usage, selector, matching, false));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}, matching={3}")
    @MethodSource("matrix")
    void record_matchesOnlyTheCertificateItDescribes(int usage, int selector, int matching, boolean shouldMatch)
            throws Exception {
        X509Certificate described = shouldMatch ? (usage == 3 ? leaf.certificate() : intermediate.certificate())
                : stranger.certificate();
        TlsaRecord record = Chains.tlsa(usage, selector, matching, described);
        DaneResult result = DaneMatcher.match(List.of(record), chain, NAMES, Instant.now());
        assertEquals(shouldMatch, result.matched(), result.reason());
        if (shouldMatch) {
            assertEquals(usage == 3 ? "dane-ee" : "dane-ta", result.method());
        }
    }

    @Test
    void daneTa_matchesTheRootAtDepthTwo() throws Exception {
        DaneResult result = DaneMatcher.match(List.of(Chains.tlsa(2, 1, 1, root.certificate())), chain, NAMES, Instant.now());
        assertTrue(result.matched(), result.reason());
    }

    @Test
    void trustAnchorAtDepthZero_neverMatches() throws Exception {
        DaneResult result = DaneMatcher.match(List.of(Chains.tlsa(2, 1, 1, leaf.certificate())), chain, NAMES, Instant.now());
        assertFalse(result.matched());
    }

    @Test
    void wrongNameUnderDaneTa_fails() throws Exception {
        DaneResult result = DaneMatcher.match(List.of(Chains.tlsa(2, 0, 1, intermediate.certificate())), chain,
                List.of("mx.other.test", "other.test"), Instant.now());
        assertFalse(result.matched());
        assertTrue(result.reason().contains("match none of"), result.reason());
    }

    @Test
    void expiredLeaf_passesUnderDaneEe_butFailsUnderDaneTa() throws Exception {
        Instant past = Instant.now().minus(Duration.ofDays(400));
        Chains.Issued expired = Chains.issue("mx.example.test", intermediate, false, past, past.plus(Duration.ofDays(90)));
        List<X509Certificate> old = List.of(expired.certificate(), intermediate.certificate());
        assertTrue(DaneMatcher.match(List.of(Chains.tlsa(3, 1, 1, expired.certificate())), old, NAMES, Instant.now()).matched());
        DaneResult ta = DaneMatcher.match(List.of(Chains.tlsa(2, 1, 1, intermediate.certificate())), old, NAMES, Instant.now());
        assertFalse(ta.matched());
        assertTrue(ta.reason().contains("validity"), ta.reason());
    }

    @Test
    void anchorGivenWholeInTheRecord_needNotBeInTheChain() throws Exception {
        List<X509Certificate> withoutRoot = List.of(leaf.certificate(), intermediate.certificate());
        assertTrue(DaneMatcher.match(List.of(Chains.tlsa(2, 1, 0, root.certificate())), withoutRoot, NAMES, Instant.now())
                .matched());
        assertTrue(DaneMatcher.match(List.of(Chains.tlsa(2, 0, 0, root.certificate())), withoutRoot, NAMES, Instant.now())
                .matched());
        assertFalse(DaneMatcher.match(List.of(Chains.tlsa(2, 1, 1, root.certificate())), withoutRoot, NAMES, Instant.now())
                .matched(), "a digest alone cannot stand for a certificate the peer did not send");
    }

    @Test
    void pkixUsages_wrongLengths_andUnknownTypes_areUnusable() throws Exception {
        TlsaRecord good = Chains.tlsa(3, 1, 1, leaf.certificate());
        List<TlsaRecord> unusable = List.of(
                new TlsaRecord(1, 1, 1, good.data()),
                new TlsaRecord(0, 1, 1, good.data()),
                new TlsaRecord(3, 1, 1, good.data().substring(2)),
                new TlsaRecord(3, 1, 2, good.data()),
                new TlsaRecord(3, 2, 1, good.data()),
                new TlsaRecord(3, 1, 3, good.data()));
        DaneResult result = DaneMatcher.match(unusable, chain, NAMES, Instant.now());
        assertFalse(result.matched());
        assertEquals("no usable TLSA record", result.reason());
    }

    @Test
    void strongerDigest_replacesTheWeakerOne() throws Exception {
        TlsaRecord sha256OfLeaf = Chains.tlsa(3, 1, 1, leaf.certificate());
        TlsaRecord sha512OfStranger = Chains.tlsa(3, 1, 2, stranger.certificate());
        assertFalse(DaneMatcher.match(List.of(sha256OfLeaf, sha512OfStranger), chain, NAMES, Instant.now()).matched(),
                "the SHA-256 record was used although a SHA-512 one exists for 3 1");
        assertTrue(DaneMatcher.match(List.of(sha256OfLeaf, Chains.tlsa(3, 0, 2, stranger.certificate())), chain, NAMES,
                Instant.now()).matched(), "a stronger digest for another selector does not hide this one");
    }
}
