package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.dnssec.TrustAnchors;
import org.sealpost.dnssec.ValidatingDnsResolver;
import org.sealpost.dnssec.lab.KnotLab;
import org.sealpost.interop.support.Peers;
import org.sealpost.interop.support.SealpostCli;
import org.sealpost.interop.support.ShortProcess;
import org.sealpost.signing.spf.SpfChecker;
import org.sealpost.signing.spf.SpfDns;

/**
 * SPF records in knotd's signed zone -> pyspf (python3-spf) and Sealpost's checker -> the same result.
 *
 * <p>One lab, one pyspf run over every case (pyspf's dnspython pointed at knotd by a
 * sitecustomize.py), Sealpost validating from the lab's trust anchor; `sealpost spf check` is run
 * for two of the cases to show the command gives the same.
 */
class SpfPyspfTest {

    private static final String ZONE = """
            pass            TXT "v=spf1 ip4:192.0.2.0/24 -all"
            soft            TXT "v=spf1 ip4:192.0.2.1 ~all"
            neutral         TXT "v=spf1 ?all"
            inc             TXT "v=spf1 include:pass.good.test -all"
            red             TXT "v=spf1 redirect=soft.good.test"
            mx              TXT "v=spf1 mx -all"
            mx              MX 10 mail.good.test.
            mail            A 198.51.100.25
            mail            AAAA 2001:db8::25
            cidr            TXT "v=spf1 a:mail.good.test/24 -all"
            v6              TXT "v=spf1 ip6:2001:db8::/32 a:mail.good.test//64 -all"
            macro           TXT "v=spf1 exists:%{ir}.%{l1r+-}.in.good.test -all"
            1.100.51.198.alice.in TXT "listed"
            1.100.51.198.alice.in A 127.0.0.2
            void            TXT "v=spf1 a:nx1.good.test a:nx2.good.test a:nx3.good.test +all"
            syntax          TXT "v=spf1 ip4:300.1.2.3 -all"
            two             TXT "v=spf1 -all"
            two             TXT "v=spf1 +all"
            incnone         TXT "v=spf1 include:nothing.good.test -all"
            helo            TXT "v=spf1 a -all"
            helo            A 203.0.113.9
            """;

    /** Name, client IP, HELO, MAIL FROM ('' for the null sender), the result both must give. */
    private static final List<String[]> CASES = List.of(
            new String[] {"ip4 pass", "192.0.2.77", "h.example", "alice@pass.good.test", "pass"},
            new String[] {"ip4 fail", "198.51.100.1", "h.example", "alice@pass.good.test", "fail"},
            new String[] {"softfail", "198.51.100.1", "h.example", "alice@soft.good.test", "softfail"},
            new String[] {"neutral", "198.51.100.1", "h.example", "alice@neutral.good.test", "neutral"},
            new String[] {"include pass", "192.0.2.5", "h.example", "alice@inc.good.test", "pass"},
            new String[] {"include no match", "198.51.100.1", "h.example", "alice@inc.good.test", "fail"},
            new String[] {"redirect", "198.51.100.1", "h.example", "alice@red.good.test", "softfail"},
            new String[] {"mx pass", "198.51.100.25", "h.example", "alice@mx.good.test", "pass"},
            new String[] {"a with cidr", "198.51.100.200", "h.example", "alice@cidr.good.test", "pass"},
            new String[] {"a with cidr outside", "198.51.101.1", "h.example", "alice@cidr.good.test", "fail"},
            new String[] {"ip6", "2001:db8:1::1", "h.example", "bob@v6.good.test", "pass"},
            new String[] {"macros exists", "198.51.100.1", "h.example", "alice@macro.good.test", "pass"},
            new String[] {"macros no match", "198.51.100.2", "h.example", "alice@macro.good.test", "fail"},
            new String[] {"void lookups", "198.51.100.1", "h.example", "alice@void.good.test", "permerror"},
            new String[] {"syntax error", "198.51.100.1", "h.example", "alice@syntax.good.test", "permerror"},
            new String[] {"two records", "198.51.100.1", "h.example", "alice@two.good.test", "permerror"},
            new String[] {"include of none", "198.51.100.1", "h.example", "alice@incnone.good.test", "permerror"},
            new String[] {"no record", "198.51.100.1", "h.example", "alice@mail.good.test", "none"},
            new String[] {"null sender, helo", "203.0.113.9", "helo.good.test", "", "pass"});

    @TempDir
    static Path dir;

    private static KnotLab lab;

    @BeforeAll
    static void start() throws Exception {
        Peers.require("python3-dnspython", "/usr/bin/python3");
        // pyspf is a module, not a program: its file stands for it.
        if (!Files.isRegularFile(Path.of("/usr/lib/python3/dist-packages/spf.py"))) {
            String message = "pyspf is missing: install the Debian package python3-spf (scripts/install-peers.sh)";
            if ("1".equals(System.getenv("SEALPOST_REQUIRE_PEERS"))) {
                org.junit.jupiter.api.Assertions.fail(message);
            }
            org.junit.jupiter.api.Assumptions.abort(message);
        }
        lab = KnotLab.start(dir.resolve("lab"), ZONE);
    }

    @AfterAll
    static void stop() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void sealpostAndPyspf_giveTheSameResult_forEveryRecord() throws Exception {
        Map<String, String> pyspf = pyspf();
        SpfChecker checker = new SpfChecker(SpfDns.over(new ValidatingDnsResolver(List.of(lab.address),
                Duration.ofSeconds(5), TrustAnchors.fromFile(lab.trustAnchors, true))), "mx.example", Clock.systemUTC());
        List<String> differences = new ArrayList<>();
        for (String[] c : CASES) {
            String ours = checker.check(java.net.InetAddress.getByName(c[1]), c[2], c[3]).get(30, TimeUnit.SECONDS)
                    .result().keyword();
            if (!ours.equals(c[4]) || !pyspf.get(c[0]).equals(c[4])) {
                differences.add(c[0] + ": expected " + c[4] + ", Sealpost " + ours + ", pyspf " + pyspf.get(c[0]));
            }
        }
        assertEquals(List.of(), differences);
    }

    @Test
    void sealpostSpfCheck_throughTheLab_printsTheResult() throws Exception {
        ShortProcess.Result pass = SealpostCli.run(dir, new byte[0], "spf", "check", "--client-ip", "192.0.2.77",
                "--helo", "h.example", "--mail-from", "alice@pass.good.test", "--resolver", "127.0.0.1:"
                + lab.address.getPort(), "--trust-anchor", lab.trustAnchors.toString());
        assertEquals(0, pass.status(), pass.describe());
        assertEquals("spf=pass ('ip4:192.0.2.0/24' matched in the SPF record of pass.good.test)", pass.out().lines()
                .findFirst().orElse(""), pass.describe());
        ShortProcess.Result helo = SealpostCli.run(dir, new byte[0], "spf", "check", "--client-ip", "198.51.100.1",
                "--helo", "helo.good.test", "--mail-from", "", "--resolver", "127.0.0.1:" + lab.address.getPort(),
                "--trust-anchor", lab.trustAnchors.toString());
        assertEquals(1, helo.status(), helo.describe());
        assertEquals("spf=fail ('-all' matched in the SPF record of helo.good.test)", helo.out().lines().findFirst()
                .orElse(""), helo.describe());
    }

    /** pyspf's check2 for every case, in one Python run; its dnspython asks the lab only. */
    private static Map<String, String> pyspf() throws Exception {
        Path script = dir.resolve("pyspf_check.py");
        Files.writeString(script, """
                import sys
                import dns.resolver
                host, port = sys.argv[1].rsplit(":", 1)
                resolver = dns.resolver.Resolver(configure=False)   # never reads /etc/resolv.conf
                resolver.nameservers = [host]
                resolver.port = int(port)
                resolver.lifetime = 5.0
                dns.resolver.default_resolver = resolver
                import spf
                for line in sys.stdin.read().splitlines():
                    name, ip, helo, sender = line.split("\\t")
                    result, explanation = spf.check2(i=ip, s=sender, h=helo)
                    print(name + "\\t" + result)
                """, StandardCharsets.UTF_8);
        StringBuilder input = new StringBuilder();
        for (String[] c : CASES) {
            input.append(c[0]).append('\t').append(c[1]).append('\t').append(c[2]).append('\t').append(c[3]).append('\n');
        }
        ShortProcess.Result run = ShortProcess.run(List.of("/usr/bin/python3", script.toString(), "127.0.0.1:"
                + lab.address.getPort()), Map.of(), input.toString().getBytes(StandardCharsets.UTF_8), dir,
                Duration.ofSeconds(120));
        assertEquals(0, run.status(), run.describe());
        Map<String, String> results = new LinkedHashMap<>();
        for (String line : run.out().split("\n")) {
            if (!line.isBlank()) {
                String[] parts = line.split("\t");
                results.put(parts[0], parts[1]);
            }
        }
        assertEquals(CASES.size(), results.size(), run.describe());
        return results;
    }
}
