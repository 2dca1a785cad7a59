package org.sealpost.signing.dmarc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.TrustAnchors;
import org.sealpost.dnssec.ValidatingDnsResolver;
import org.sealpost.dnssec.lab.KnotLab;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.DkimResult;
import org.sealpost.signing.dkim.DkimSigner;
import org.sealpost.signing.dkim.DkimVerifier;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.MessageSigning;
import org.sealpost.signing.dkim.SignerOptions;
import org.sealpost.signing.dkim.SigningKey;
import org.sealpost.signing.dkim.VerifierOptions;

/**
 * message signed by Sealpost -> DkimVerifier and DmarcEvaluator -> ValidatingDnsResolver -> knotd
 * (the signed zone good.test, published as a Public Suffix Domain with psd=y).
 *
 * <p>DKIM results come from real signatures verified against keys in the lab; SPF results are given.
 * The lab's signed parent zone test answers _dmarc.test, the walk's last name, with a proven NXDOMAIN,
 * as a real top-level domain without a DMARC record would.
 */
class DmarcKnotLabTest {

    @TempDir
    static Path dir;

    private static KnotLab lab;
    private static GeneratedKey key;
    private static DnsResolver dns;

    @BeforeAll
    static void start() throws Exception {
        key = DkimKeys.generate(KeyType.ED25519, 0);
        StringBuilder zone = new StringBuilder()
                .append("_dmarc IN TXT \"v=DMARC1; p=reject; sp=quarantine; np=reject; psd=y\"\n")
                .append("_dmarc.org1 IN TXT \"v=DMARC1; p=reject; sp=quarantine; np=reject\"\n")
                .append("org1 IN A 127.0.0.10\nsub.org1 IN A 127.0.0.11\nmail.org1 IN A 127.0.0.12\n")
                .append("_dmarc.strict IN TXT \"v=DMARC1; p=reject; adkim=s; aspf=s\"\n")
                .append("strict IN A 127.0.0.13\nmail.strict IN A 127.0.0.14\n")
                .append("_dmarc.testing IN TXT \"v=DMARC1; p=reject; t=y\"\ntesting IN A 127.0.0.15\n")
                .append("_dmarc.deep IN TXT \"v=DMARC1; p=quarantine\"\na.b.c.d.deep IN A 127.0.0.16\n")
                .append("shop IN A 127.0.0.17\nother IN A 127.0.0.18\n");
        for (String domain : List.of("org1", "mail.org1", "strict", "mail.strict", "other", "testing")) {
            zone.append("sel._domainkey.").append(domain).append(" IN TXT (");
            key.txtStrings().forEach(s -> zone.append(" \"").append(s).append('"'));
            zone.append(" )\n");
        }
        lab = KnotLab.start(dir.resolve("lab"), zone.toString());
        dns = new ValidatingDnsResolver(List.of(lab.address), Duration.ofSeconds(5),
                TrustAnchors.fromFile(lab.trustAnchors, true));
    }

    @AfterAll
    static void stop() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    /** The DKIM results of a message from {@code from} signed by each of {@code signers} (relative to good.test). */
    private static List<DkimResult> signedBy(String from, String... signers) throws Exception {
        byte[] message = ("From: <a@" + from + ">\r\nTo: <b@example.net>\r\nSubject: lab\r\n"
                + "Date: Tue, 01 Dec 2026 08:00:00 +0000\r\nMessage-ID: <lab@" + from + ">\r\n\r\nHello.\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        StringBuilder fields = new StringBuilder();
        for (String signer : signers) {
            SigningKey signing = SigningKey.of(signer + ".good.test", "sel", key.privateKey());
            MessageSigning s = new DkimSigner(List.of(signing), SignerOptions.defaults()).start();
            s.update(message);
            fields.append(s.finish());
        }
        byte[] head = fields.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + message.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(message, 0, all, head.length, message.length);
        return new DkimVerifier(dns, VerifierOptions.defaults()).verify(all).get();
    }

    private static DmarcEvaluation evaluate(String from, List<DkimResult> dkim, SpfCheck spf) throws Exception {
        return new DmarcEvaluator(dns).evaluate(List.of(from), dkim, spf).get().applied();
    }

    private static SpfCheck spfPass(String domain) {
        return new SpfCheck(SpfCheck.Result.PASS, domain);
    }

    @Test
    void alignedDkim_passes() throws Exception {
        List<DkimResult> dkim = signedBy("org1.good.test", "mail.org1");
        assertTrue(dkim.get(0).passed(), dkim.toString());
        DmarcEvaluation e = evaluate("org1.good.test", dkim, SpfCheck.none());
        assertEquals(DmarcResult.PASS, e.result(), e.reason());
        assertEquals("org1.good.test", e.organizationalDomain());
    }

    @Test
    void unalignedDkim_fails_underP() throws Exception {
        DmarcEvaluation e = evaluate("org1.good.test", signedBy("org1.good.test", "other"), SpfCheck.none());
        assertEquals(DmarcResult.FAIL, e.result(), e.reason());
        assertEquals(Policy.REJECT, e.disposition());
        assertTrue(e.reason().contains("other.good.test"), e.reason());
    }

    @Test
    void alignedSpf_passes_andUnalignedSpfFails() throws Exception {
        assertEquals(DmarcResult.PASS, evaluate("org1.good.test", List.of(), spfPass("mail.org1.good.test")).result());
        // other.good.test has its own Organizational Domain: good.test is a PSD.
        assertEquals(DmarcResult.FAIL, evaluate("org1.good.test", List.of(), spfPass("other.good.test")).result());
    }

    @Test
    void strictAlignment_takesOnlyTheSameName() throws Exception {
        assertEquals(DmarcResult.FAIL, evaluate("strict.good.test", signedBy("strict.good.test", "mail.strict"),
                spfPass("mail.strict.good.test")).result());
        assertEquals(DmarcResult.PASS, evaluate("strict.good.test", signedBy("strict.good.test", "strict"),
                SpfCheck.none()).result());
    }

    @Test
    void existingSubdomain_getsSp() throws Exception {
        DmarcEvaluation e = evaluate("sub.org1.good.test", List.of(), SpfCheck.none());
        assertEquals(DmarcResult.FAIL, e.result());
        assertEquals(Optional.of(Policy.QUARANTINE), e.policy());
        assertEquals("org1.good.test", e.policyDomain());
    }

    @Test
    void nonExistentSubdomain_getsNp_fromProvenNxdomain() throws Exception {
        DmarcEvaluation e = evaluate("ghost.org1.good.test", List.of(), SpfCheck.none());
        assertEquals(Optional.of(Policy.REJECT), e.policy(), e.reason());
        assertEquals(Policy.REJECT, e.disposition());
    }

    @Test
    void psdY_appliesThePublicSuffixRecord_toAnOrganizationalDomainWithoutOne() throws Exception {
        DmarcEvaluation e = evaluate("shop.good.test", List.of(), SpfCheck.none());
        assertEquals("good.test", e.policyDomain());
        assertEquals("shop.good.test", e.organizationalDomain());
        assertEquals(Optional.of(Policy.QUARANTINE), e.policy());
        assertEquals(List.of("_dmarc.shop.good.test", "_dmarc.good.test"), e.walk());
    }

    @Test
    void testing_appliesOneLevelLower() throws Exception {
        DmarcEvaluation e = evaluate("testing.good.test", signedBy("testing.good.test", "other"), SpfCheck.none());
        assertEquals(DmarcResult.FAIL, e.result());
        assertEquals(Policy.QUARANTINE, e.disposition());
        assertEquals("dmarc=fail (p=reject dis=quarantine) header.from=testing.good.test", e.toAuthenticationResults());
    }

    @Test
    void recordSeveralLabelsUp_isFoundByTheWalk() throws Exception {
        DmarcEvaluation e = evaluate("a.b.c.d.deep.good.test", List.of(), SpfCheck.none());
        assertEquals("deep.good.test", e.policyDomain());
        assertEquals(Optional.of(Policy.QUARANTINE), e.policy());
        assertEquals(List.of("_dmarc.a.b.c.d.deep.good.test", "_dmarc.b.c.d.deep.good.test", "_dmarc.c.d.deep.good.test",
                "_dmarc.d.deep.good.test", "_dmarc.deep.good.test", "_dmarc.good.test"), e.walk());
    }

    @Test
    void noRecord_isNone() throws Exception {
        DmarcEvaluation e = evaluate("mx.plain.test", List.of(), spfPass("mx.plain.test"));
        assertEquals(DmarcResult.NONE, e.result(), e.reason());
        assertEquals(List.of("_dmarc.mx.plain.test", "_dmarc.plain.test", "_dmarc.test"), e.walk());
    }

    @Test
    void servfailOnThePolicy_isATemperror() throws Exception {
        DmarcEvaluation e = evaluate("mail.servfail.test", List.of(), SpfCheck.none());
        assertEquals(DmarcResult.TEMPERROR, e.result());
        assertTrue(e.reason().contains("_dmarc.mail.servfail.test"), e.reason());
    }

    @Test
    void severalFromDomains_theStrictestApplies() throws Exception {
        DmarcVerdict verdict = new DmarcEvaluator(dns).evaluate(List.of("org1.good.test", "testing.good.test",
                "mx.plain.test"), signedBy("org1.good.test", "org1"), SpfCheck.none()).get();
        assertEquals(List.of(DmarcResult.PASS, DmarcResult.FAIL, DmarcResult.NONE),
                verdict.evaluations().stream().map(DmarcEvaluation::result).toList());
        assertEquals("testing.good.test", verdict.applied().authorDomain());
        assertEquals(Policy.QUARANTINE, verdict.applied().disposition());
    }
}
