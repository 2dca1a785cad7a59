package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sealpost.dnssec.lab.KnotLab;
import org.sealpost.interop.support.DkimFixtures;
import org.sealpost.interop.support.Peers;
import org.sealpost.interop.support.SealpostCli;
import org.sealpost.interop.support.ShortProcess;

/**
 * arcsign (dkimpy) -> sealpost arc verify + sign -> arcverify + arcsign (dkimpy) -> sealpost arc verify, and
 * the other way round, keys from the Knot lab (DNSSEC validated on Sealpost's side).
 *
 * <p>Each hop checks the chain with both validators before it adds its set: one to three hops mixing the
 * two sealers in both orders, and broken chains (a body changed after sealing, a missing ARC-Seal, a
 * gap in i=) that both reject. dkimpy's ARC signs and verifies rsa-sha256 only, so an Ed25519 seal is
 * checked against Sealpost alone.
 */
class ArcDkimpyTest {

    private static final String PY = "py.good.test";
    private static final String SP = "sp.good.test";
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(60);
    private static final String MESSAGE = "From: Alice <alice@origin.example>\r\n"
            + "To: list@list.example\r\n"
            + "Subject: ARC across two implementations\r\n"
            + "Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n"
            + "Message-ID: <arc-1@origin.example>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "\r\n"
            + "Hello,\r\n"
            + "  a line with   spaces  \r\n"
            + "\r\n"
            + "the end.\r\n";

    @TempDir
    static Path dir;

    private static KnotLab lab;
    private static Path pythonPath;

    @BeforeAll
    static void start() throws Exception {
        Peers.require("python3-dkim", "/usr/bin/arcsign");
        Peers.require("python3-dkim", "/usr/bin/arcverify");
        Peers.require("python3-dkim", "/usr/bin/dknewkey");
        StringBuilder zone = new StringBuilder();
        zone.append(sealpostKeygen("sp-rsa", "rsa-sha256"));
        zone.append(sealpostKeygen("sp-ed", "ed25519-sha256"));
        ShortProcess.Result made = ShortProcess.run(List.of("/usr/bin/dknewkey", "--ktype", "rsa", "py"), Map.of(),
                new byte[0], dir, PEER_TIMEOUT);
        assertEquals(0, made.status(), made.describe());
        String record = Files.readString(dir.resolve("py.dns")).strip();
        zone.append("py._domainkey." + PY + ". IN TXT " + DkimFixtures.zoneStrings(record) + "\n");
        lab = KnotLab.start(dir.resolve("lab"), zone.toString());
        pythonPath = DkimDkimpyTest.writeDnsOverride(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void dkimpyThenSealpostThenDkimpy_everyHopPassesBothValidators() throws Exception {
        byte[] one = dkimpySeal(bytes(MESSAGE), "spf=pass smtp.mailfrom=origin.example");
        assertBothPass(one, 1, PY);
        byte[] two = sealpostSeal(one, "sp-rsa", "dmarc=pass header.from=origin.example");
        assertBothPass(two, 2, SP);
        byte[] three = dkimpySeal(two, "arc=pass");
        assertBothPass(three, 3, PY);
        String lines = sealpostVerify(three).out();
        assertTrue(lines.contains("set i=2 cv=pass seal=" + SP + "/sp-rsa (pass, key SECURE)"), lines);
        assertTrue(lines.contains("aar=" + SP + "; dmarc=pass header.from=origin.example"), lines);
    }

    @Test
    void sealpostThenDkimpyThenSealpost_everyHopPassesBothValidators() throws Exception {
        byte[] one = sealpostSeal(bytes(MESSAGE), "sp-rsa", "spf=pass smtp.mailfrom=origin.example");
        assertBothPass(one, 1, SP);
        byte[] two = dkimpySeal(one, "arc=pass");
        assertBothPass(two, 2, PY);
        byte[] three = sealpostSeal(two, "sp-rsa", "arc=pass");
        assertBothPass(three, 3, SP);
    }

    @Test
    void ed25519SealOnADkimpyChain_passesInSealpost() throws Exception {
        byte[] one = dkimpySeal(bytes(MESSAGE), "spf=pass smtp.mailfrom=origin.example");
        byte[] two = sealpostSeal(one, "sp-ed", "arc=pass");
        ShortProcess.Result verified = sealpostVerify(two);
        assertEquals(0, verified.status(), verified.describe());
        assertTrue(verified.out().startsWith("arc=pass (2 sets, newest sealed by " + SP), verified.describe());
        assertTrue(verified.out().contains("seal=" + SP + "/sp-ed (pass, key SECURE)"), verified.describe());
    }

    @ParameterizedTest(name = "{0} sealed last, {1}")
    @CsvSource({"dkimpy, body changed", "sealpost, body changed", "dkimpy, seal missing", "sealpost, seal missing",
            "dkimpy, gap in i=", "sealpost, gap in i="})
    void brokenChain_failsInBoth(String lastSealer, String breakage) throws Exception {
        boolean pyLast = lastSealer.equals("dkimpy");
        byte[] chain;
        if (breakage.equals("gap in i=")) {
            byte[] one = pyLast ? dkimpySeal(bytes(MESSAGE), "spf=pass") : sealpostSeal(bytes(MESSAGE), "sp-rsa", "spf=pass");
            byte[] two = pyLast ? sealpostSeal(one, "sp-rsa", "arc=pass") : dkimpySeal(one, "arc=pass");
            chain = pyLast ? dkimpySeal(two, "arc=pass") : sealpostSeal(two, "sp-rsa", "arc=pass");
            assertBothPass(chain, 3, pyLast ? PY : SP);
        } else {
            chain = pyLast ? dkimpySeal(bytes(MESSAGE), "spf=pass") : sealpostSeal(bytes(MESSAGE), "sp-rsa", "spf=pass");
            assertBothPass(chain, 1, pyLast ? PY : SP);
        }
        byte[] broken = switch (breakage) {
            case "body changed" -> DkimFixtures.appendToBody(chain);
            case "seal missing" -> withoutFields(chain, "ARC-Seal", 1);
            default -> withoutSet(chain, 2);
        };
        String reason = switch (breakage) {
            case "body changed" -> "ARC-Message-Signature i=1 (d=" + (pyLast ? PY : SP) + " s=" + (pyLast ? "py" : "sp-rsa")
                    + "): body hash did not verify";
            case "seal missing" -> "ARC set i=1 has no ARC-Seal (RFC 8617 4.2.1)";
            default -> "the chain has no ARC set i=2 below i=3 (RFC 8617 5.2 step 2)";
        };
        ShortProcess.Result ours = sealpostVerify(broken);
        assertEquals(1, ours.status(), ours.describe());
        assertTrue(ours.out().startsWith("arc=fail (" + reason + ")\n"), ours.describe());
        String theirs = arcverify(broken);
        assertTrue(theirs.contains("cv=b'fail'"), theirs);
    }

    @Test
    void sealpostSealsABrokenChain_withCvFail_andDkimpyAgreesItFailed() throws Exception {
        byte[] broken = DkimFixtures.appendToBody(dkimpySeal(bytes(MESSAGE), "spf=pass"));
        byte[] resealed = sealpostSeal(broken, "sp-rsa", "arc=fail");
        String text = new String(resealed, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("ARC-Seal: i=2; a=rsa-sha256; cv=fail;"), text);
        ShortProcess.Result ours = sealpostVerify(resealed);
        assertEquals(1, ours.status(), ours.describe());
        assertTrue(ours.out().startsWith("arc=fail (ARC-Seal i=2 (d=" + SP + ") says cv=fail)"), ours.describe());
        // dkimpy reports a chain whose newest seal says cv=fail as ended (cv=None), not as a new failure.
        String theirs = arcverify(resealed);
        assertTrue(theirs.contains("cv=None ARC-Seal[2] reported failure, the chain is terminated"), theirs);
    }

    /** Both validators pass the chain of {@code sets} sets, the newest sealed by {@code newest}. */
    private static void assertBothPass(byte[] message, int sets, String newest) throws Exception {
        ShortProcess.Result ours = sealpostVerify(message);
        assertEquals(0, ours.status(), ours.describe());
        assertTrue(ours.out().startsWith("arc=pass (" + sets + (sets == 1 ? " set" : " sets") + ", newest sealed by "
                + newest + "; oldest-pass=0)\n"), ours.describe());
        assertEquals(2L * sets, Pattern.compile("\\(pass, key SECURE\\)").matcher(ours.out()).results().count(), ours.describe());
        String theirs = arcverify(message);
        assertTrue(theirs.contains("cv=b'pass' success"), theirs);
    }

    /** dkimpy's arcsign as py.good.test, after our test hop wrote its Authentication-Results (cv comes from arc= there). */
    private static byte[] dkimpySeal(byte[] message, String results) throws Exception {
        byte[] in = concat("Authentication-Results: " + PY + "; " + results + "\r\n", message);
        ShortProcess.Result sealed = ShortProcess.run(List.of("/usr/bin/arcsign", "py", PY,
                dir.resolve("py.key").toString(), PY), Map.of(), in, dir, PEER_TIMEOUT);
        assertEquals(0, sealed.status(), sealed.describe());
        assertTrue(sealed.out().startsWith("ARC-Seal: "), sealed.describe());
        return sealed.stdout();
    }

    /** `sealpost arc sign` as sp.good.test, the message carrying our Authentication-Results. */
    private static byte[] sealpostSeal(byte[] message, String selector, String results) throws Exception {
        byte[] in = concat("Authentication-Results: " + SP + "; " + results + "\r\n", message);
        ShortProcess.Result sealed = SealpostCli.run(dir, in, "arc", "sign", "--domain", SP, "--selector", selector,
                "--key", dir.resolve(selector + ".pem").toString(), "--authserv-id", SP, "--resolver",
                "127.0.0.1:" + lab.address.getPort(), "--trust-anchor", lab.trustAnchors.toString());
        assertEquals(0, sealed.status(), sealed.describe());
        assertTrue(sealed.out().startsWith("ARC-Seal: "), sealed.describe());
        return sealed.stdout();
    }

    private static ShortProcess.Result sealpostVerify(byte[] message) throws Exception {
        return SealpostCli.run(dir, message, "arc", "verify", "--resolver", "127.0.0.1:" + lab.address.getPort(),
                "--trust-anchor", lab.trustAnchors.toString());
    }

    /** arcverify's one line, "arc verification: cv=b'pass' success" or a failure with its reason. */
    private static String arcverify(byte[] message) throws Exception {
        ShortProcess.Result verified = ShortProcess.run(List.of("/usr/bin/arcverify"), Map.of("PYTHONPATH",
                pythonPath.toString(), "DKIM_TEST_DNS", "127.0.0.1:" + lab.address.getPort()), message, dir, PEER_TIMEOUT);
        assertEquals(0, verified.status(), verified.describe());
        assertFalse(verified.out().isEmpty(), verified.describe());
        return verified.out();
    }

    private static String sealpostKeygen(String selector, String algorithm) throws Exception {
        ShortProcess.Result keygen = SealpostCli.run(dir, new byte[0], "dkim", "keygen", "--domain", SP,
                "--selector", selector, "--algorithm", algorithm, "--out", dir.resolve(selector + ".pem").toString());
        assertEquals(0, keygen.status(), keygen.describe());
        return keygen.out();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(String head, byte[] message) {
        byte[] h = bytes(head);
        byte[] out = new byte[h.length + message.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(message, 0, out, h.length, message.length);
        return out;
    }

    /** The message without the header fields named {@code name} whose i= is {@code instance}. */
    private static byte[] withoutFields(byte[] message, String name, int instance) {
        return filter(message, field -> field.regionMatches(true, 0, name + ":", 0, name.length() + 1)
                && instanceOf(field) == instance);
    }

    /** The message without the three fields of ARC set {@code instance}. */
    private static byte[] withoutSet(byte[] message, int instance) {
        return filter(message, field -> field.regionMatches(true, 0, "ARC-", 0, 4) && instanceOf(field) == instance);
    }

    private static int instanceOf(String field) {
        var m = Pattern.compile("[:;]\\s*i\\s*=\\s*(\\d+)").matcher(field);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static byte[] filter(byte[] message, java.util.function.Predicate<String> drop) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        StringBuilder out = new StringBuilder();
        for (String field : text.substring(0, end + 2).split("(?<=\r\n)(?![ \t])")) {
            if (!drop.test(field)) {
                out.append(field);
            }
        }
        return bytes(out + text.substring(end + 2));
    }
}
