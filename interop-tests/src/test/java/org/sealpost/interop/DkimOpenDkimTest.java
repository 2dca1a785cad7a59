package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
 * sealpost dkim sign -> opendkim -t (the milter's test mode, keys through libunbound from unbound and knotd) ;
 * opendkim -t signing -> sealpost dkim verify (DNSSEC validated through unbound).
 *
 * <p>OpenDKIM's command-line tools cannot do this alone: opendkim-testmsg signs with rsa-sha1 and
 * relaxed/simple only, and verifies through /etc/resolv.conf. The opendkim daemon's test mode
 * ({@code -t FILE}) runs a message through the milter with a configuration file, signs it or
 * verifies it, and takes its DNS from an unbound configuration that forwards to the lab. Keys:
 * Sealpost's from {@code sealpost dkim keygen}; OpenDKIM's RSA key from {@code opendkim-genkey},
 * its Ed25519 key from openssl (opendkim-genkey makes RSA keys only).
 */
class DkimOpenDkimTest {

    private static final String DOMAIN = "mail.good.test";
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger RUNS = new AtomicInteger();

    @TempDir
    static Path dir;

    private static KnotLab lab;
    private static InetSocketAddress unbound;
    private static Path verifyConfig;

    @BeforeAll
    static void start() throws Exception {
        Peers.require("opendkim", "/usr/sbin/opendkim");
        Peers.require("opendkim-tools", "/usr/sbin/opendkim-genkey");
        Peers.require("openssl", "/usr/bin/openssl");
        StringBuilder zone = new StringBuilder();
        zone.append(sealpostKeygen("sp-rsa", "rsa-sha256"));
        zone.append(sealpostKeygen("sp-ed", "ed25519-sha256"));
        zone.append(opendkimGenkey("odk-rsa"));
        zone.append(opensslEd25519("odk-ed"));
        lab = KnotLab.start(dir.resolve("lab"), zone.toString());
        unbound = lab.startUnbound();
        // libunbound inside opendkim: everything to the lab's unbound, never to /etc/resolv.conf or the root.
        Path unboundConfig = dir.resolve("opendkim-unbound.conf");
        Files.writeString(unboundConfig, "server:\n    do-not-query-localhost: no\n    local-zone: \"test.\" nodefault\n"
                + "    trust-anchor-signaling: no\n    do-ip6: no\n"
                + "forward-zone:\n    name: \".\"\n    forward-addr: 127.0.0.1@" + unbound.getPort() + "\n");
        verifyConfig = dir.resolve("opendkim-verify.conf");
        Files.writeString(verifyConfig, "Mode v\nSyslog no\nResolverConfiguration " + unboundConfig + "\n"
                + "TrustAnchorFile " + lab.trustAnchors + "\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    /**
     * Sealpost signs: every fixture, both algorithms, relaxed/relaxed and simple/simple, except the
     * folded fixture with simple header canonicalization. OpenDKIM's test mode hands header values
     * on as a milter gets them, without the whitespace after the colon, so "Subject:   a subject"
     * is hashed as if written "Subject: a subject": OpenDKIM rejects the exact octets that RFC 6376
     * 3.4.1 signs (dkimpy accepts them: DkimDkimpyTest).
     */
    static Stream<Arguments> sealpostSigned() {
        return cases(Map.of("rsa-sha256", List.of("relaxed/relaxed", "simple/simple"),
                "ed25519-sha256", List.of("relaxed/relaxed", "simple/simple")));
    }

    /**
     * OpenDKIM signs: as above, but Ed25519 only with relaxed header canonicalization. OpenDKIM
     * 2.11.0~beta2's Ed25519 signatures with simple header canonicalization verify nowhere, not even
     * in OpenDKIM itself ({@link #opendkimEd25519WithSimpleHeaders_failsInOpenDkimToo}).
     */
    static Stream<Arguments> opendkimSigned() {
        return cases(Map.of("rsa-sha256", List.of("relaxed/relaxed", "simple/simple"),
                "ed25519-sha256", List.of("relaxed/relaxed", "relaxed/simple")));
    }

    private static Stream<Arguments> cases(Map<String, List<String>> canonicalizations) {
        List<Arguments> cases = new ArrayList<>();
        for (String fixture : DkimFixtures.NAMES) {
            for (String algorithm : List.of("rsa-sha256", "ed25519-sha256")) {
                for (String canonicalization : canonicalizations.get(algorithm)) {
                    if (!(fixture.equals("01-folded-repeated-headers") && canonicalization.startsWith("simple/"))) {
                        cases.add(Arguments.of(fixture, algorithm, canonicalization));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("sealpostSigned")
    void sealpostSigns_opendkimVerifies_andRejectsTheMessageChanged(String fixture, String algorithm,
            String canonicalization) throws Exception {
        String selector = algorithm.startsWith("rsa") ? "sp-rsa" : "sp-ed";
        ShortProcess.Result signed = SealpostCli.run(dir, DkimFixtures.crlf(fixture), "dkim", "sign", "--domain", DOMAIN,
                "--selector", selector, "--key", dir.resolve(selector + ".pem").toString(), "--canonicalization",
                canonicalization);
        assertEquals(0, signed.status(), signed.describe());

        ShortProcess.Result verified = opendkimVerify(signed.stdout());
        assertTrue(verified.out().contains("verification (s=" + selector + ", d=" + DOMAIN + ", "),
                verified.describe());
        assertTrue(verified.out().contains(") succeeded"), verified.describe());

        ShortProcess.Result tampered = opendkimVerify(DkimFixtures.appendToBody(signed.stdout()));
        assertTrue(tampered.out().contains(") failed: "), tampered.describe());
        assertFalse(tampered.out().contains("succeeded"), tampered.describe());
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("opendkimSigned")
    void opendkimSigns_sealpostVerifiesWithTheKeySecure(String fixture, String algorithm, String canonicalization)
            throws Exception {
        String selector = algorithm.startsWith("rsa") ? "odk-rsa" : "odk-ed";
        byte[] signed = opendkimSign(DkimFixtures.crlf(fixture), selector, algorithm, canonicalization);
        DkimFixtures.assertSealpostPass(sealpostVerify(signed), DOMAIN, selector, algorithm);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"rsa-sha256, body, body hash did not verify", "rsa-sha256, subject, signature did not verify",
            "ed25519-sha256, body, body hash did not verify", "ed25519-sha256, subject, signature did not verify"})
    void opendkimSigned_messageChangedAfterwards_failsInSealpost(String algorithm, String change, String reason)
            throws Exception {
        String selector = algorithm.startsWith("rsa") ? "odk-rsa" : "odk-ed";
        byte[] signed = opendkimSign(DkimFixtures.crlf("01-folded-repeated-headers"), selector, algorithm,
                "relaxed/relaxed");
        DkimFixtures.assertSealpostFail(sealpostVerify(DkimFixtures.changed(signed, change)), DOMAIN, selector, algorithm,
                reason);
    }

    @Test
    void opendkimEd25519WithSimpleHeaders_failsInOpenDkimToo() throws Exception {
        byte[] signed = opendkimSign(DkimFixtures.crlf("02-trailing-whitespace"), "odk-ed", "ed25519-sha256",
                "simple/simple");
        ShortProcess.Result itself = opendkimVerify(signed);
        assertTrue(itself.out().contains("verification (s=odk-ed d=" + DOMAIN + ", ") && itself.out().contains(
                ") failed: signature verification failed"), itself.describe());
        ShortProcess.Result sealpost = sealpostVerify(signed);
        assertEquals(1, sealpost.status(), sealpost.describe());
        assertTrue(sealpost.out().endsWith("(signature did not verify; key SECURE)\n"), sealpost.describe());
    }

    @Test
    void opendkimTestmsgSignsRsaSha1_sealpostRefusesItUnlessLegacyAndTheKeyAllowsSha1() throws Exception {
        Peers.require("opendkim-tools", "/usr/sbin/opendkim-testmsg");
        // Sealpost's key record has no h=, so it allows sha1; opendkim-genkey's says h=sha256.
        byte[] signed = opendkimTestmsg("sp-rsa", dir.resolve("sp-rsa.pem"));
        ShortProcess.Result strict = sealpostVerify(signed);
        assertEquals(1, strict.status(), strict.describe());
        assertTrue(strict.out().startsWith("dkim=permerror header.d=" + DOMAIN + " header.s=sp-rsa header.a=rsa-sha1 "),
                strict.describe());
        assertTrue(strict.out().contains("rsa-sha1 signatures are not accepted"), strict.describe());
        ShortProcess.Result legacy = sealpostVerifyLegacy(signed);
        assertEquals(0, legacy.status(), legacy.describe());
        assertTrue(legacy.out().startsWith("dkim=pass header.d=" + DOMAIN + " header.s=sp-rsa header.a=rsa-sha1 "),
                legacy.describe());
        assertTrue(legacy.out().endsWith("(key SECURE)\n"), legacy.describe());

        ShortProcess.Result restricted = sealpostVerifyLegacy(opendkimTestmsg("odk-rsa", dir.resolve("odk-rsa.private")));
        assertEquals(1, restricted.status(), restricted.describe());
        assertTrue(restricted.out().startsWith("dkim=permerror header.d=" + DOMAIN + " header.s=odk-rsa "),
                restricted.describe());
        assertTrue(restricted.out().endsWith("(key h=sha256 does not allow sha1; key SECURE)\n"), restricted.describe());
    }

    /** opendkim-tools' signer: always rsa-sha1 with relaxed/simple. */
    private static byte[] opendkimTestmsg(String selector, Path key) throws Exception {
        // -C keeps CRLF in the field it writes. (It refuses the folded fixture with "dkim_chunk(): Syntax
        // error"; the milter takes it.)
        ShortProcess.Result signed = ShortProcess.run(List.of("/usr/sbin/opendkim-testmsg", "-C", "-d", DOMAIN, "-s",
                selector, "-k", key.toString()), Map.of(), DkimFixtures.crlf("02-trailing-whitespace"), dir,
                PEER_TIMEOUT);
        assertEquals(0, signed.status(), signed.describe());
        assertTrue(signed.out().startsWith("DKIM-Signature: v=1; a=rsa-sha1; c=relaxed/simple; "), signed.describe());
        return signed.stdout();
    }

    private static ShortProcess.Result sealpostVerifyLegacy(byte[] message) throws Exception {
        return SealpostCli.run(dir, message, "dkim", "verify", "--legacy", "--resolver", "127.0.0.1:" + unbound.getPort(),
                "--trust-anchor", lab.trustAnchors.toString());
    }

    /** `sealpost dkim keygen`; returns the zone-file line it printed, published in the lab as it is. */
    private static String sealpostKeygen(String selector, String algorithm) throws Exception {
        ShortProcess.Result keygen = SealpostCli.run(dir, new byte[0], "dkim", "keygen", "--domain", DOMAIN,
                "--selector", selector, "--algorithm", algorithm, "--out", dir.resolve(selector + ".pem").toString());
        assertEquals(0, keygen.status(), keygen.describe());
        return keygen.out();
    }

    /** `opendkim-genkey`: SELECTOR.private and SELECTOR.txt, a zone-file record that goes into the lab as it is. */
    private static String opendkimGenkey(String selector) throws Exception {
        ShortProcess.Result made = ShortProcess.run(List.of("/usr/sbin/opendkim-genkey", "--bits=2048",
                "--append-domain", "--domain=" + DOMAIN, "--selector=" + selector, "--directory=" + dir), Map.of(),
                new byte[0], dir, PEER_TIMEOUT);
        assertEquals(0, made.status(), made.describe());
        return Files.readString(dir.resolve(selector + ".txt")) + "\n";
    }

    /** An Ed25519 key by openssl (SELECTOR.pem, PKCS#8) and its RFC 8463 record: the raw 32-octet public key. */
    private static String opensslEd25519(String selector) throws Exception {
        Path key = dir.resolve(selector + ".pem");
        ShortProcess.Result made = ShortProcess.run(List.of("/usr/bin/openssl", "genpkey", "-algorithm", "ed25519",
                "-out", key.toString()), Map.of(), new byte[0], dir, PEER_TIMEOUT);
        assertEquals(0, made.status(), made.describe());
        ShortProcess.Result spki = ShortProcess.run(List.of("/usr/bin/openssl", "pkey", "-in", key.toString(), "-pubout",
                "-outform", "DER"), Map.of(), new byte[0], dir, PEER_TIMEOUT);
        assertEquals(0, spki.status(), spki.describe());
        byte[] der = spki.stdout();
        byte[] raw = Arrays.copyOfRange(der, der.length - 32, der.length);
        return selector + "._domainkey." + DOMAIN + ". IN TXT "
                + DkimFixtures.zoneStrings("v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(raw)) + "\n";
    }

    /** Signs in the milter's test mode; returns the DKIM-Signature field it printed, on top of the message. */
    private static byte[] opendkimSign(byte[] message, String selector, String algorithm, String canonicalization)
            throws Exception {
        int run = RUNS.incrementAndGet();
        String key = selector.equals("odk-rsa") ? "odk-rsa.private" : "odk-ed.pem";
        Path config = dir.resolve("opendkim-sign-" + run + ".conf");
        Files.writeString(config, "Mode s\nSyslog no\nDomain " + DOMAIN + "\nSelector " + selector + "\nKeyFile "
                + dir.resolve(key) + "\nCanonicalization " + canonicalization + "\nSignatureAlgorithm " + algorithm
                + "\n# the test's folder is under /tmp, which others can write\nRequireSafeKeys false\n");
        Path input = dir.resolve("opendkim-sign-" + run + ".eml");
        Files.write(input, message);
        ShortProcess.Result signed = ShortProcess.run(List.of("/usr/sbin/opendkim", "-x", config.toString(), "-t",
                input.toString()), Map.of(), new byte[0], dir, PEER_TIMEOUT);
        assertEquals(0, signed.status(), signed.describe());
        // Test mode prints "opendkim: FILE:" and then the field it would add, folded with the
        // input's line ends (CRLF here); the field is put back on top with CRLF.
        int at = signed.out().indexOf("DKIM-Signature: ");
        assertTrue(at > 0, signed.describe());
        String field = signed.out().substring(at).stripTrailing().replace("\r\n", "\n");
        String unfolded = field.replaceAll("\n[ \t]+", " ");
        assertTrue(unfolded.contains("a=" + algorithm + ";") && unfolded.contains("c=" + canonicalization + ";")
                && unfolded.contains("s=" + selector + ";"), signed.describe());
        byte[] header = (field.replace("\n", "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(header, header.length + message.length);
        System.arraycopy(message, 0, out, header.length, message.length);
        return out;
    }

    /** Verifies in the milter's test mode, which prints one line and exits 0 whatever the result. */
    private static ShortProcess.Result opendkimVerify(byte[] message) throws Exception {
        Path input = dir.resolve("opendkim-verify-" + RUNS.incrementAndGet() + ".eml");
        Files.write(input, message);
        return ShortProcess.run(List.of("/usr/sbin/opendkim", "-x", verifyConfig.toString(), "-t", input.toString()),
                Map.of(), new byte[0], dir, PEER_TIMEOUT);
    }

    private static ShortProcess.Result sealpostVerify(byte[] message) throws Exception {
        return SealpostCli.run(dir, message, "dkim", "verify", "--resolver", "127.0.0.1:" + unbound.getPort(),
                "--trust-anchor", lab.trustAnchors.toString());
    }
}
