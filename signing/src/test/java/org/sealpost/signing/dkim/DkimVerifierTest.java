package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.Outcome;
import org.sealpost.dnssec.Security;

/** The verifier's rules, on messages our signer signs with fresh keys. */
class DkimVerifierTest {

    private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");
    private static final String MESSAGE = "From: Ann <ann@example.com>\r\nTo: bob@example.net\r\nSubject: hi\r\n"
            + "Date: Sun, 1 Mar 2026 12:00:00 +0000\r\n\r\nHello.\r\n";

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    private static byte[] sign(SignerOptions options, String message, SigningKey... keys) {
        byte[] bytes = Signed.bytes(message);
        return Signed.join(new DkimSigner(List.of(keys), options).sign(bytes), bytes);
    }

    private static byte[] sign(String message) {
        return sign(SignerOptions.defaults().withClock(at(T)), message, Keys.rsa());
    }

    private static DkimResult verify(FakeDns dns, VerifierOptions options, byte[] message) {
        return Vectors.verify(new DkimVerifier(dns, options), message).get(0);
    }

    private static DkimResult verify(FakeDns dns, byte[] message) {
        return verify(dns, VerifierOptions.defaults().withClock(at(T)), message);
    }

    @Test
    void signedMessage_passesAndReportsItsTags() {
        DkimResult result = verify(Keys.dns(), sign(MESSAGE));
        assertEquals(Verdict.PASS, result.verdict());
        assertEquals("example.com", result.domain());
        assertEquals("rsa", result.selector());
        assertEquals("rsa-sha256", result.algorithm());
        assertEquals("@example.com", result.identity());
        assertEquals(Optional.of(Security.INSECURE), result.keySecurity());
        assertTrue(result.toAuthenticationResults().startsWith("dkim=pass header.d=example.com header.s=rsa"
                + " header.a=rsa-sha256 header.b="));
    }

    @Test
    void secureKeyAnswer_isReportedSecure() {
        FakeDns dns = new FakeDns().secureTxt("rsa._domainkey.example.com", Keys.RSA.txtRecord());
        assertEquals(Optional.of(Security.SECURE), verify(dns, sign(MESSAGE)).keySecurity());
    }

    @Test
    void bogusKeyAnswer_isTemperrorAndNeverPasses() {
        FakeDns dns = new FakeDns().answer("rsa._domainkey.example.com",
                new DnsAnswer<>(Outcome.FOUND, List.of(Keys.RSA.txtRecord()), 300, Security.BOGUS, "bad RRSIG", ""));
        DkimResult result = verify(dns, sign(MESSAGE));
        assertEquals(Verdict.TEMPERROR, result.verdict());
        assertTrue(result.reason().contains("BOGUS"), result::reason);
        assertEquals(Optional.of(Security.BOGUS), result.keySecurity());
    }

    @Test
    void servfailAndTimeout_areTemperror() {
        for (Outcome outcome : List.of(Outcome.SERVFAIL, Outcome.TIMEOUT)) {
            DkimResult result = verify(new FakeDns().fail("rsa._domainkey.example.com", outcome), sign(MESSAGE));
            assertEquals(Verdict.TEMPERROR, result.verdict(), outcome::name);
        }
    }

    @Test
    void failedLookupFuture_isTemperror() {
        FakeDns dns = new FakeDns() {
            @Override
            public CompletableFuture<DnsAnswer<String>> txt(String name) {
                return CompletableFuture.failedFuture(new IllegalStateException("resolver closed"));
            }
        };
        DkimResult result = verify(dns, sign(MESSAGE));
        assertEquals(Verdict.TEMPERROR, result.verdict());
        assertTrue(result.reason().contains("resolver closed"));
    }

    @Test
    void nxdomainAndNodata_arePermerrorNoKey() {
        for (Outcome outcome : List.of(Outcome.NXDOMAIN, Outcome.NODATA)) {
            DkimResult result = verify(new FakeDns().fail("rsa._domainkey.example.com", outcome), sign(MESSAGE));
            assertEquals(Verdict.PERMERROR, result.verdict());
            assertTrue(result.reason().startsWith("no key"), result::reason);
        }
    }

    @Test
    void revokedKey_isPermerror() {
        DkimResult result = verify(new FakeDns().txt("rsa._domainkey.example.com", "v=DKIM1; k=rsa; p="), sign(MESSAGE));
        assertEquals(Verdict.PERMERROR, result.verdict());
        assertEquals("key revoked", result.reason());
    }

    @Test
    void testingKey_passesAndIsFlagged() {
        FakeDns dns = new FakeDns().txt("rsa._domainkey.example.com", Keys.RSA.txtRecord() + "; t=y");
        DkimResult result = verify(dns, sign(MESSAGE));
        assertEquals(Verdict.PASS, result.verdict());
        assertTrue(result.testingKey());
        assertTrue(result.toAuthenticationResults().endsWith("(testing key; key INSECURE)"), result.toAuthenticationResults());
    }

    @Test
    void timestamp_inTheFutureBeyondSkew_isPermerror() {
        byte[] message = sign(MESSAGE);
        assertEquals(Verdict.PASS, verify(Keys.dns(), VerifierOptions.defaults().withClock(at(T.minusSeconds(299))),
                message).verdict());
        DkimResult early = verify(Keys.dns(), VerifierOptions.defaults().withClock(at(T.minusSeconds(301))), message);
        assertEquals(Verdict.PERMERROR, early.verdict());
        assertTrue(early.reason().contains("in the future"));
    }

    @Test
    void expiration_isCheckedWithSkew() {
        byte[] message = sign(SignerOptions.defaults().withClock(at(T)).withExpiration(Duration.ofHours(1)), MESSAGE,
                Keys.rsa());
        VerifierOptions options = VerifierOptions.defaults().withClockSkew(Duration.ofMinutes(5));
        assertEquals(Verdict.PASS, verify(Keys.dns(), options.withClock(at(T.plusSeconds(3600 + 299))), message).verdict());
        DkimResult late = verify(Keys.dns(), options.withClock(at(T.plusSeconds(3600 + 301))), message);
        assertEquals(Verdict.PERMERROR, late.verdict());
        assertTrue(late.reason().contains("expired"));
    }

    @Test
    void expirationBeforeTimestamp_isPermerror() {
        String text = Signed.text(sign(SignerOptions.defaults().withClock(at(T)).withExpiration(Duration.ofHours(1)),
                MESSAGE, Keys.rsa()));
        String x = "x=" + (T.getEpochSecond() + 3600);
        byte[] swapped = Signed.bytes(text.replace(x, "x=" + (T.getEpochSecond() - 10)));
        DkimResult result = verify(Keys.dns(), VerifierOptions.defaults().withClock(at(T.minusSeconds(20))), swapped);
        assertEquals(Verdict.PERMERROR, result.verdict());
        assertTrue(result.reason().contains("is not after t="), result::reason);
    }

    @Test
    void bodyLength_contentAppendedAfterSigning_passesAndIsReported() {
        byte[] signed = sign(SignerOptions.defaults().withClock(at(T)).withBodyLength(true), MESSAGE, Keys.rsa());
        DkimResult exact = verify(Keys.dns(), signed);
        assertEquals(Verdict.PASS, exact.verdict());
        assertFalse(exact.partialBody());
        byte[] appended = Signed.bytes(Signed.text(signed) + "P.S. unsigned text\r\n");
        DkimResult partial = verify(Keys.dns(), appended);
        assertEquals(Verdict.PASS, partial.verdict());
        assertTrue(partial.partialBody());
        assertTrue(partial.toAuthenticationResults().contains("l= leaves part of the body unsigned"));
    }

    @Test
    void bodyLength_longerThanTheBody_isPermerror() {
        byte[] signed = sign(SignerOptions.defaults().withClock(at(T)).withBodyLength(true), MESSAGE, Keys.rsa());
        byte[] shortened = Signed.bytes(Signed.text(signed).replace("Hello.\r\n", "Hell\r\n"));
        DkimResult result = verify(Keys.dns(), shortened);
        assertEquals(Verdict.PERMERROR, result.verdict());
        assertTrue(result.reason().contains("longer than the body"), result::reason);
    }

    @Test
    void signatureWithoutFromInH_isPermerror() {
        byte[] signed = sign(SignerOptions.defaults().withClock(at(T)).withHeaders(List.of("Subject")), MESSAGE, Keys.rsa());
        // The signer always adds From; take it out of h= to make the broken signature.
        String text = Signed.text(signed).replaceFirst("h=From:From:", "h=");
        DkimResult result = verify(Keys.dns(), Signed.bytes(text));
        assertEquals(Verdict.PERMERROR, result.verdict());
        assertTrue(result.reason().contains("does not include From"), result::reason);
    }

    @Test
    void identityOutsideTheDomain_isPermerror() {
        byte[] signed = sign(MESSAGE);
        String text = Signed.text(signed).replaceFirst("s=rsa;", "s=rsa; i=ann@example.org;");
        DkimResult result = verify(Keys.dns(), Signed.bytes(text));
        assertEquals(Verdict.PERMERROR, result.verdict());
        assertTrue(result.reason().contains("not d=example.com or a subdomain"), result::reason);
    }

    @Test
    void moreSignaturesThanTheLimit_extraOnesAreNeutralAndNotLookedUp() {
        byte[] bytes = Signed.bytes(MESSAGE);
        String one = new DkimSigner(List.of(Keys.rsa()), SignerOptions.defaults().withClock(at(T))).sign(bytes);
        FakeDns dns = Keys.dns();
        List<DkimResult> results = Vectors.verify(new DkimVerifier(dns,
                VerifierOptions.defaults().withClock(at(T)).withMaxSignatures(2)),
                Signed.join(one + one + one, bytes));
        assertEquals(List.of(Verdict.PASS, Verdict.PASS, Verdict.NEUTRAL),
                results.stream().map(DkimResult::verdict).toList());
        assertTrue(results.get(2).reason().contains("more than 2 signatures"));
        assertEquals("example.com", results.get(2).domain());
        assertEquals(1, dns.lookups.get(), "one lookup for the two evaluated signatures with the same key");
    }

    @Test
    void rsaSha1_isPermerrorUnlessLegacy() {
        // A signature claiming rsa-sha1 is refused before any key lookup.
        String text = Signed.text(sign(MESSAGE)).replace("a=rsa-sha256", "a=rsa-sha1");
        DkimResult result = verify(Keys.dns(), Signed.bytes(text));
        assertEquals(Verdict.PERMERROR, result.verdict());
        assertTrue(result.reason().contains("RFC 8301"));
    }

    @Test
    void messageWithoutSignatures_hasNoResults() {
        assertTrue(Vectors.verify(new DkimVerifier(Keys.dns()), Signed.bytes(MESSAGE)).isEmpty());
    }

    @Test
    void oversizedHeader_isPermerror() {
        String big = "X-Big: " + "a".repeat(5000) + "\r\n" + MESSAGE;
        List<DkimResult> results = Vectors.verify(new DkimVerifier(Keys.dns(),
                VerifierOptions.defaults().withMaxHeaderBytes(2048)), Signed.bytes(big));
        assertEquals(Verdict.PERMERROR, results.get(0).verdict());
        assertTrue(results.get(0).reason().contains("longer than 2048"));
    }

    @Test
    void byteBuffers_heapAndDirect_feedTheSameWay() throws Exception {
        byte[] message = sign(MESSAGE);
        MessageVerification heap = new DkimVerifier(Keys.dns(), VerifierOptions.defaults().withClock(at(T))).start();
        MessageVerification direct = new DkimVerifier(Keys.dns(), VerifierOptions.defaults().withClock(at(T))).start();
        for (int i = 0; i < message.length; i += 7) {
            int n = Math.min(7, message.length - i);
            heap.update(ByteBuffer.wrap(message, i, n));
            ByteBuffer d = ByteBuffer.allocateDirect(n);
            d.put(message, i, n).flip();
            direct.update(d);
        }
        assertEquals(Verdict.PASS, heap.finish().get().get(0).verdict());
        assertEquals(Verdict.PASS, direct.finish().get().get(0).verdict());
    }

    @Test
    void updateAfterFinish_isRefused() {
        MessageVerification v = new DkimVerifier(Keys.dns()).start();
        v.update(Signed.bytes(MESSAGE));
        v.finish();
        assertThrows(IllegalStateException.class, () -> v.update(new byte[1]));
        assertThrows(IllegalStateException.class, v::finish);
    }
}
