package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.sealpost.dnssec.lab.KnotLab;
import org.sealpost.interop.support.DkimFixtures;
import org.sealpost.interop.support.Peers;
import org.sealpost.interop.support.SealpostCli;
import org.sealpost.interop.support.ShortProcess;

/**
 * sealpost dkim sign -> dkimverify (dkimpy, key from knotd) ; dkimsign (dkimpy) -> sealpost dkim verify
 * (DNSSEC validated straight from knotd).
 *
 * <p>Keys: Sealpost's made by {@code sealpost dkim keygen}, dkimpy's by {@code dknewkey}, all published in
 * the lab's signed zone good.test under mail.good.test. Every fixture of src/test/resources/dkim, with
 * RSA and Ed25519, relaxed/relaxed and simple/simple; a changed message fails in both directions.
 */
class DkimDkimpyTest {

    private static final String DOMAIN = "mail.good.test";
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static KnotLab lab;
    private static Path pythonPath;

    @BeforeAll
    static void start() throws Exception {
        Peers.require("python3-dkim", "/usr/bin/dkimsign");
        Peers.require("python3-dkim", "/usr/bin/dkimverify");
        Peers.require("python3-dkim", "/usr/bin/dknewkey");
        StringBuilder zone = new StringBuilder();
        zone.append(sealpostKeygen("sp-rsa", "rsa-sha256"));
        zone.append(sealpostKeygen("sp-ed", "ed25519-sha256"));
        zone.append(dknewkey("py-rsa", "rsa"));
        zone.append(dknewkey("py-ed", "ed25519"));
        lab = KnotLab.start(dir.resolve("lab"), zone.toString());
        pythonPath = writeDnsOverride(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String fixture : DkimFixtures.NAMES) {
            for (String algorithm : List.of("rsa-sha256", "ed25519-sha256")) {
                for (String canonicalization : List.of("relaxed/relaxed", "simple/simple")) {
                    cases.add(Arguments.of(fixture, algorithm, canonicalization));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void sealpostSigns_dkimpyVerifies_andRejectsTheMessageChanged(String fixture, String algorithm,
            String canonicalization) throws Exception {
        String selector = algorithm.startsWith("rsa") ? "sp-rsa" : "sp-ed";
        ShortProcess.Result signed = SealpostCli.run(dir, DkimFixtures.crlf(fixture), "dkim", "sign", "--domain", DOMAIN,
                "--selector", selector, "--key", dir.resolve(selector + ".pem").toString(), "--canonicalization",
                canonicalization);
        assertEquals(0, signed.status(), signed.describe());
        assertTrue(signed.out().replaceAll("\r\n[ \t]+", " ").startsWith("DKIM-Signature: v=1; a=" + algorithm + "; c="
                + canonicalization + "; d=" + DOMAIN + "; s=" + selector + ";"), signed.describe());

        ShortProcess.Result verified = dkimverify(signed.stdout());
        assertEquals(0, verified.status(), verified.describe());
        assertEquals("signature ok\n", verified.out(), verified.describe());

        ShortProcess.Result tampered = dkimverify(DkimFixtures.appendToBody(signed.stdout()));
        assertNotEquals(0, tampered.status(), tampered.describe());
        assertFalse(tampered.out().contains("signature ok"), tampered.describe());
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void dkimpySigns_sealpostVerifiesWithTheKeySecure(String fixture, String algorithm, String canonicalization)
            throws Exception {
        String selector = algorithm.startsWith("rsa") ? "py-rsa" : "py-ed";
        byte[] signed = dkimsign(DkimFixtures.crlf(fixture), selector, algorithm, canonicalization);
        DkimFixtures.assertSealpostPass(sealpostVerify(signed), DOMAIN, selector, algorithm);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"rsa-sha256, body, body hash did not verify", "rsa-sha256, subject, signature did not verify",
            "ed25519-sha256, body, body hash did not verify", "ed25519-sha256, subject, signature did not verify"})
    void dkimpySigned_messageChangedAfterwards_failsInSealpost(String algorithm, String change, String reason)
            throws Exception {
        String selector = algorithm.startsWith("rsa") ? "py-rsa" : "py-ed";
        byte[] signed = dkimsign(DkimFixtures.crlf("01-folded-repeated-headers"), selector, algorithm,
                "relaxed/relaxed");
        DkimFixtures.assertSealpostFail(sealpostVerify(DkimFixtures.changed(signed, change)), DOMAIN, selector, algorithm,
                reason);
    }

    /** `sealpost dkim keygen`; returns the zone-file line it printed, published in the lab as it is. */
    private static String sealpostKeygen(String selector, String algorithm) throws Exception {
        ShortProcess.Result keygen = SealpostCli.run(dir, new byte[0], "dkim", "keygen", "--domain", DOMAIN,
                "--selector", selector, "--algorithm", algorithm, "--out", dir.resolve(selector + ".pem").toString());
        assertEquals(0, keygen.status(), keygen.describe());
        return keygen.out();
    }

    /** dkimpy's `dknewkey`: SELECTOR.key (the private key) and SELECTOR.dns (the record); returns the zone line. */
    private static String dknewkey(String selector, String type) throws Exception {
        ShortProcess.Result made = ShortProcess.run(List.of("/usr/bin/dknewkey", "--ktype", type, selector), Map.of(),
                new byte[0], dir, PEER_TIMEOUT);
        assertEquals(0, made.status(), made.describe());
        String record = Files.readString(dir.resolve(selector + ".dns")).strip();
        return selector + "._domainkey." + DOMAIN + ". IN TXT " + DkimFixtures.zoneStrings(record) + "\n";
    }

    private static byte[] dkimsign(byte[] message, String selector, String algorithm, String canonicalization)
            throws Exception {
        String[] c = canonicalization.split("/");
        ShortProcess.Result signed = ShortProcess.run(List.of("/usr/bin/dkimsign", "--hcanon", c[0], "--bcanon", c[1],
                "--signalg", algorithm, selector, DOMAIN, dir.resolve(selector + ".key").toString()), Map.of(), message,
                dir, PEER_TIMEOUT);
        // dkimsign reports a failure on standard error and still writes the message, unsigned, with status 0.
        assertEquals(0, signed.status(), signed.describe());
        assertEquals("", signed.stderr(), signed.describe());
        assertTrue(signed.out().startsWith("DKIM-Signature: "), signed.describe());
        assertTrue(signed.out().replaceAll("\r\n[ \t]+", " ").contains("c=" + canonicalization + ";"), signed.describe());
        return signed.stdout();
    }

    private static ShortProcess.Result dkimverify(byte[] message) throws Exception {
        return ShortProcess.run(List.of("/usr/bin/dkimverify"), Map.of("PYTHONPATH", pythonPath.toString(),
                "DKIM_TEST_DNS", "127.0.0.1:" + lab.address.getPort()), message, dir, PEER_TIMEOUT);
    }

    private static ShortProcess.Result sealpostVerify(byte[] message) throws Exception {
        return SealpostCli.run(dir, message, "dkim", "verify", "--resolver", "127.0.0.1:" + lab.address.getPort(),
                "--trust-anchor", lab.trustAnchors.toString());
    }

    /**
     * The sitecustomize.py that points dnspython's default resolver, and so dkimpy's unmodified CLIs,
     * at DKIM_TEST_DNS=host:port instead of /etc/resolv.conf; its folder goes on PYTHONPATH.
     */
    static Path writeDnsOverride(Path base) throws Exception {
        Path folder = base.resolve("dnsoverride");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("sitecustomize.py"), """
                import os
                _ns = os.environ.get("DKIM_TEST_DNS")
                if not _ns:
                    raise SystemExit("sitecustomize: DKIM_TEST_DNS is not set; refusing to fall back to /etc/resolv.conf")
                import dns.resolver
                _host, _port = _ns.rsplit(":", 1)
                _r = dns.resolver.Resolver(configure=False)   # never reads /etc/resolv.conf
                _r.nameservers = [_host]
                _r.port = int(_port)
                _r.lifetime = 5.0
                dns.resolver.default_resolver = _r
                """, StandardCharsets.UTF_8);
        return folder;
    }
}
