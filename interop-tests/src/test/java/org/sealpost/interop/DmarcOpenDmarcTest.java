package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sealpost.dnssec.TrustAnchors;
import org.sealpost.dnssec.ValidatingDnsResolver;
import org.sealpost.dnssec.lab.KnotLab;
import org.sealpost.interop.support.Peers;
import org.sealpost.interop.support.SealpostCli;
import org.sealpost.interop.support.ShortProcess;
import org.sealpost.signing.dmarc.Alignment;
import org.sealpost.signing.dmarc.DmarcEvaluation;
import org.sealpost.signing.dmarc.DmarcEvaluator;
import org.sealpost.signing.dmarc.DmarcRecord;
import org.sealpost.signing.dmarc.DmarcResult;
import org.sealpost.signing.dmarc.Policy;
import org.sealpost.signing.dmarc.SpfCheck;

/**
 * DMARC records in knotd's signed zone -> opendmarc-check (OpenDMARC, RFC 7489, via the lab's unbound)
 * and `sealpost dmarc record` / DmarcEvaluator (RFC 9989, validating from the lab's anchors).
 *
 * <p>opendmarc-check is OpenDMARC's own evaluation of a record without a running MTA: libopendmarc's
 * policy discovery (opendmarc_policy_query_dmarc) and record parser, printed. It takes its DNS from the
 * system resolver, so it runs in a mount namespace of its own (unshare) where a resolv.conf naming the
 * lab's unbound, on port 53 of a loopback address of this run, is mounted over /etc/resolv.conf.
 * It loads no public suffix list, so it asks _dmarc of the Author Domain only; the milter with a list
 * would also ask the list's Organizational Domain, here good.test, which has no record.
 *
 * <p>Where RFC 7489 and RFC 9989 agree, both must read the same record the same way; where they
 * differ, each difference is a test of its own, and Sealpost must do what RFC 9989 says.
 */
class DmarcOpenDmarcTest {

    /** Records under good.test (relative names). */
    private static final String ZONE = """
            _dmarc.agree     TXT "v=DMARC1; p=reject; sp=quarantine; adkim=s; rua=mailto:agg@good.test; ruf=mailto:fail@good.test"
            agree            A 127.0.0.20
            _dmarc.plainnone TXT "v=DMARC1; p=none"
            _dmarc.v2        TXT "v=DMARC2; p=reject"
            _dmarc.pct       TXT "v=DMARC1; p=reject; pct=0"
            pct              A 127.0.0.21
            _dmarc.deep      TXT "v=DMARC1; p=quarantine"
            a.b.deep         A 127.0.0.22
            _dmarc.psd       TXT "v=DMARC1; p=reject; psd=y"
            shop.psd         A 127.0.0.23
            _dmarc.np        TXT "v=DMARC1; p=none; sp=none; np=reject"
            np               A 127.0.0.24
            www.np           A 127.0.0.25
            _dmarc.multi     TXT "v=DMARC1; p=quarantine"
            _dmarc.x.multi   TXT "v=DMARC1; p=reject"
            _dmarc.x.multi   TXT "v=DMARC1; p=none"
            _dmarc.upper     TXT "V=DMARC1; P=Reject"
            _dmarc.badp      TXT "v=DMARC1; p=block; rua=mailto:agg@good.test"
            """;

    @TempDir
    static Path dir;

    private static KnotLab lab;
    private static DmarcEvaluator evaluator;

    @BeforeAll
    static void start() throws Exception {
        Peers.requireRoot(); // unshare --mount and port 53
        Peers.require("opendmarc", "/usr/sbin/opendmarc-check");
        Peers.require("util-linux", "/usr/bin/unshare");
        lab = KnotLab.start(dir.resolve("lab"), ZONE.lines().map(line -> line.replaceFirst("^(\\S+)\\s+", "$1 IN "))
                .collect(Collectors.joining("\n", "", "\n")));
        String loopback = "127.53." + ThreadLocalRandom.current().nextInt(1, 255) + "."
                + ThreadLocalRandom.current().nextInt(1, 255);
        lab.startUnbound(loopback, 53);
        Files.writeString(dir.resolve("resolv.conf"), "nameserver " + loopback + "\noptions timeout:2 attempts:2\n");
        evaluator = new DmarcEvaluator(new ValidatingDnsResolver(List.of(lab.address), Duration.ofSeconds(5),
                TrustAnchors.fromFile(lab.trustAnchors, true)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    // ---- Where RFC 7489 and RFC 9989 agree: the same record, read the same way.

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"agree.good.test", "plainnone.good.test", "pct.good.test", "np.good.test", "psd.good.test"})
    void recordAtTheAuthorDomain_readTheSameWay(String domain) throws Exception {
        Map<String, String> theirs = opendmarc(domain);
        Map<String, String> ours = sealpost(domain);
        assertEquals(domain, ours.get("policy-domain"), ours.toString());
        DmarcRecord record = DmarcRecord.parse(ours.get("record")).orElseThrow();
        assertEquals(theirs.get("Domain policy"), record.policy().map(Policy::token).orElse("unspecified"), theirs.toString());
        assertEquals(theirs.get("Subdomain policy"), record.subdomainPolicy().map(Policy::token).orElse("unspecified"),
                theirs.toString());
        // OpenDMARC prints "relaxed" or "unspecified" for the default; both mean relaxed.
        assertEquals(theirs.get("DKIM alignment").equals("strict"), record.dkimAlignment() == Alignment.STRICT);
        assertEquals(theirs.get("SPF alignment").equals("strict"), record.spfAlignment() == Alignment.STRICT);
        assertEquals(theirs.get("Aggregate report URIs"), record.rua().isEmpty() ? "(none)" : record.rua());
        assertEquals(theirs.get("Failure report URIs"), record.ruf().isEmpty() ? "(none)" : record.ruf());
    }

    @Test
    void versionOtherThanDmarc1_isNoRecordForEither() throws Exception {
        ShortProcess.Result theirs = runOpendmarc("v2.good.test");
        assertEquals(70, theirs.status(), theirs.describe());
        assertTrue(theirs.stderr().contains("bad v= value"), theirs.describe());
        Map<String, String> ours = sealpost("v2.good.test");
        assertEquals("none", ours.get("record"), ours.toString());
        assertEquals("1", ours.get("status"));
    }

    // ---- Where RFC 9989 differs from RFC 7489: Sealpost follows RFC 9989.

    @Test
    void pct_isIgnored() throws Exception {
        // RFC 7489 6.3 pct: p=reject with pct=0 applies the policy to no message. RFC 9989 has no pct
        // (4.7; removed, Appendix C.5.2): every failing message gets the policy, t=y is the way to test.
        assertEquals("0", opendmarc("pct.good.test").get("Sample percentage"));
        DmarcEvaluation ours = evaluate("pct.good.test");
        assertEquals(DmarcResult.FAIL, ours.result(), ours.reason());
        assertEquals(Policy.REJECT, ours.disposition(), ours.reason());
    }

    @Test
    void policySeveralLabelsUp_isFoundByTheTreeWalk() throws Exception {
        // RFC 7489 6.6.3 asks _dmarc of the Author Domain and of its Organizational Domain from the public
        // suffix list only. RFC 9989 4.10 and 4.10.1: the tree walk asks every name up to the top.
        ShortProcess.Result theirs = runOpendmarc("a.b.deep.good.test");
        assertTrue(theirs.stderr().contains("lacked a DMARC record"), theirs.describe());
        Map<String, String> ours = sealpost("a.b.deep.good.test");
        assertEquals("v=DMARC1; p=quarantine", ours.get("record"), ours.toString());
        assertEquals("deep.good.test", ours.get("policy-domain"), ours.toString());
    }

    @Test
    void organizationalDomain_comesFromTheTreeWalk_notThePublicSuffixList() throws Exception {
        // RFC 7489 3.2: the Organizational Domain is one label below the longest public suffix (here
        // good.test, .test being unlisted). RFC 9989 4.10.2: it is the shortest name with a record in the
        // walk, agree.good.test; so its sp= applies to sub.agree.good.test.
        ShortProcess.Result theirs = runOpendmarc("sub.agree.good.test");
        assertTrue(theirs.stderr().contains("lacked a DMARC record"), theirs.describe());
        Map<String, String> ours = sealpost("sub.agree.good.test");
        assertEquals("agree.good.test", ours.get("organizational-domain"), ours.toString());
        assertEquals("agree.good.test", ours.get("policy-domain"), ours.toString());
        assertEquals(Optional.of(Policy.QUARANTINE), evaluate("sub.agree.good.test").policy());
    }

    @Test
    void psdY_makesTheNameBelowTheOrganizationalDomain() throws Exception {
        // psd= is not in RFC 7489 (RFC 9091 was experimental); OpenDMARC reads psd.good.test's record as
        // any other and finds nothing for shop.psd.good.test. RFC 9989 4.7 psd=y, 4.10.2: the
        // Organizational Domain is the name one label below the PSD, and the PSD's record applies.
        assertEquals("reject", opendmarc("psd.good.test").get("Domain policy"));
        ShortProcess.Result theirs = runOpendmarc("shop.psd.good.test");
        assertTrue(theirs.stderr().contains("lacked a DMARC record"), theirs.describe());
        Map<String, String> ours = sealpost("shop.psd.good.test");
        assertEquals("shop.psd.good.test", ours.get("organizational-domain"), ours.toString());
        assertEquals("psd.good.test", ours.get("policy-domain"), ours.toString());
        assertEquals(List.of("_dmarc.shop.psd.good.test", "_dmarc.psd.good.test"), List.of(ours.get("walk").split(" ")));
    }

    @Test
    void np_appliesToNonExistentSubdomains() throws Exception {
        // RFC 7489 has no np= (OpenDMARC shows p= and sp= only). RFC 9989 4.7 np, 3.2.13: a subdomain
        // that does not exist (NXDOMAIN for A, AAAA and MX) gets np=, one that exists sp=.
        Map<String, String> theirs = opendmarc("np.good.test");
        assertEquals("none", theirs.get("Subdomain policy"), theirs.toString());
        assertTrue(theirs.keySet().stream().noneMatch(k -> k.toLowerCase().contains("non-existent")), theirs.toString());
        DmarcEvaluation ghost = evaluate("ghost.np.good.test");
        assertEquals(DmarcResult.FAIL, ghost.result(), ghost.reason());
        assertEquals(Policy.REJECT, ghost.disposition(), ghost.reason());
        DmarcEvaluation www = evaluate("www.np.good.test");
        assertEquals(Policy.NONE, www.disposition(), www.reason());
    }

    @Test
    void severalRecordsAtOneName_areDiscardedAndTheWalkGoesOn() throws Exception {
        // RFC 7489 6.6.3 says several records end DMARC processing; OpenDMARC takes one of them (which
        // one depends on the order of the answer). RFC 9989 4.10.1: all are discarded and the walk
        // goes on, here to multi.good.test.
        Map<String, String> theirs = opendmarc("x.multi.good.test");
        assertTrue(List.of("reject", "none").contains(theirs.get("Domain policy")), theirs.toString());
        Map<String, String> ours = sealpost("x.multi.good.test");
        assertEquals("multi.good.test", ours.get("policy-domain"), ours.toString());
        assertEquals("v=DMARC1; p=quarantine", ours.get("record"), ours.toString());
        assertTrue(ours.get("note").contains("2 DMARC records"), ours.toString());
    }

    // ---- Where OpenDMARC is stricter than either RFC: Sealpost keeps to the RFCs.

    @Test
    void upperCaseTagNames_areTagNames() throws Exception {
        // RFC 7489 6.4 and RFC 9989 4.8: "v" and "p" are ABNF strings, case-insensitive (RFC 5234 2.3);
        // only the value DMARC1 is case-sensitive. OpenDMARC finds no record in "V=DMARC1; P=Reject".
        assertTrue(runOpendmarc("upper.good.test").stderr().contains("lacked a DMARC record"));
        assertEquals(Optional.of(Policy.REJECT), DmarcRecord.parse(sealpost("upper.good.test").get("record"))
                .orElseThrow().policy());
    }

    @Test
    void invalidPWithAReportAddress_isAppliedAsNone() throws Exception {
        // RFC 7489 6.6.3 and RFC 9989 4.10.1: an invalid p= with a valid rua= is applied as p=none.
        // opendmarc-check refuses the record ("bad token value").
        assertTrue(runOpendmarc("badp.good.test").stderr().contains("bad token value"));
        DmarcEvaluation ours = evaluate("badp.good.test");
        assertEquals(Optional.of(Policy.NONE), ours.policy(), ours.reason());
        assertEquals(Policy.NONE, ours.disposition(), ours.reason());
    }

    // ---- The two programs.

    private static ShortProcess.Result runOpendmarc(String domain) throws Exception {
        // $0 and $1 of the shell: the resolv.conf to mount, the domain. The mount ends with the namespace.
        return ShortProcess.run(List.of("/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                "mount --bind \"$0\" /etc/resolv.conf && exec /usr/sbin/opendmarc-check \"$1\"",
                dir.resolve("resolv.conf").toString(), domain), Map.of(), new byte[0], dir, Duration.ofSeconds(60));
    }

    /** opendmarc-check's "Label: value" lines; a list of URIs joined with ",". */
    private static Map<String, String> opendmarc(String domain) throws Exception {
        ShortProcess.Result run = runOpendmarc(domain);
        assertEquals(0, run.status(), run.describe());
        Map<String, String> fields = new LinkedHashMap<>();
        String list = null;
        for (String line : run.out().split("\n")) {
            if (line.startsWith("\t\t") && list != null) {
                fields.merge(list, line.strip(), (a, b) -> a + "," + b);
            } else if (line.startsWith("\t") && line.endsWith(":")) {
                list = line.strip().replaceFirst(":$", "");
            } else if (line.startsWith("\t")) {
                String[] pair = line.strip().split(": ", 2);
                fields.put(pair[0], pair[1]);
                list = null;
            }
        }
        return fields;
    }

    /** `sealpost dmarc record DOMAIN`'s labelled lines, with "status" its exit status. */
    private static Map<String, String> sealpost(String domain) throws Exception {
        ShortProcess.Result run = SealpostCli.run(dir, new byte[0], "dmarc", "record", domain, "--resolver", "127.0.0.1:"
                + lab.address.getPort(), "--trust-anchor", lab.trustAnchors.toString());
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : run.out().split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                fields.merge(line.substring(0, colon), line.substring(colon + 2), (a, b) -> a + " | " + b);
            }
        }
        fields.put("status", Integer.toString(run.status()));
        assertTrue(run.status() == 0 || run.status() == 1, run.describe());
        return fields;
    }

    /** Sealpost's DMARC result for a message from DOMAIN with no DKIM signature and no SPF result. */
    private static DmarcEvaluation evaluate(String domain) throws Exception {
        return evaluator.evaluate(List.of(domain), List.of(), SpfCheck.none()).get(30, TimeUnit.SECONDS).applied();
    }
}
