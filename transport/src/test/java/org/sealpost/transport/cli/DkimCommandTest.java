package org.sealpost.transport.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.jcajce.interfaces.MLDSAPrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.lab.KnotLab;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim2.Dkim2Algorithm;
import org.sealpost.signing.dkim2.Dkim2KeyRecord;
import org.sealpost.signing.dkim2.Dkim2Keys;
import picocli.CommandLine;

/** sealpost dkim keygen -> zone file -> sealpost dkim sign -> sealpost dkim verify --dns-zone, in process. */
class DkimCommandTest {

    private static final String MESSAGE = "From: Alice <alice@example.com>\nTo: Bob <bob@example.net>\n"
            + "Subject: a round trip\nDate: Tue, 01 Dec 2026 08:00:00 +0000\nMessage-ID: <rt@example.com>\n\n"
            + "Hello Bob,\n\nthis is signed.  \n";

    @TempDir
    Path dir;

    private record Run(int status, byte[] stdout, String err) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private static Run run(byte[] stdin, String... args) {
        InputStream in = System.in;
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status;
        try {
            System.setIn(new ByteArrayInputStream(stdin));
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            String[] all = new String[args.length + 1];
            all[0] = "dkim";
            System.arraycopy(args, 0, all, 1, args.length);
            status = new CommandLine(new Main()).execute(all);
        } finally {
            System.setIn(in);
            System.setOut(out);
            System.setErr(err);
        }
        return new Run(status, stdout.toByteArray(), stderr.toString(StandardCharsets.UTF_8));
    }

    private static Run run(String stdin, String... args) {
        return run(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    /** keygen for example.com into dir; the printed record is kept in NAME.zone. */
    private Path keygen(String selector, String algorithm) throws Exception {
        Path key = dir.resolve(selector + ".pem");
        Run r = run("", "keygen", "--domain", "example.com", "--selector", selector, "--algorithm", algorithm,
                "--out", key.toString());
        assertEquals(0, r.status(), r.err());
        Files.write(dir.resolve(selector + ".zone"), r.stdout());
        return key;
    }

    @Test
    void keygen_rsa_writesPrivatePkcs8AndPrintsTheRecordInStringsOf255() throws Exception {
        Path key = dir.resolve("k.pem");
        Run r = run("", "keygen", "--domain", "example.com", "--selector", "sel", "--bits", "3072", "--out",
                key.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        String pem = Files.readString(key);
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"), pem);
        Matcher line = Pattern.compile("^sel\\._domainkey\\.example\\.com\\. IN TXT \\(((?: \"[^\"]*\")+) \\)\n"
                + "; this record serves DKIM2 too \\(draft-ietf-dkim-dkim2-dns-00\\)\n$").matcher(r.out());
        assertTrue(line.matches(), r.out());
        Matcher strings = Pattern.compile("\"([^\"]*)\"").matcher(line.group(1));
        StringBuilder record = new StringBuilder();
        int count = 0;
        while (strings.find()) {
            assertTrue(strings.group(1).length() <= 255, strings.group(1));
            record.append(strings.group(1));
            count++;
        }
        assertTrue(count >= 2, "a 3072-bit key needs more than one string: " + r.out());
        String published = DkimKeys.txtRecord(KeyType.RSA, DkimKeys.publicKey(DkimKeys.readPrivateKey(pem)));
        assertEquals(published, record.toString());
    }

    @Test
    void keygen_printedLine_isReadBackByTheZoneFileResolver() throws Exception {
        Path key = keygen("ed", "ed25519-sha256");
        DnsAnswer<String> answer = ZoneFileDns.read(java.util.List.of(dir.resolve("ed.zone")))
                .txt("ed._domainkey.example.com").join();
        String expected = DkimKeys.txtRecord(KeyType.ED25519,
                DkimKeys.publicKey(DkimKeys.readPrivateKey(Files.readString(key))));
        assertEquals(java.util.List.of(expected), answer.records());
        assertEquals(org.sealpost.dnssec.Security.INSECURE, answer.security());
        assertEquals(org.sealpost.dnssec.Outcome.NXDOMAIN,
                ZoneFileDns.read(java.util.List.of(dir.resolve("ed.zone"))).txt("other._domainkey.example.com").join()
                        .outcome());
    }

    @Test
    void keygen_mlDsa44_writesItsPkcs8Key_andPrintsTheDkim2OnlyRecordWithItsWarning() throws Exception {
        Path key = keygen("pq", "mldsa44");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        String pem = Files.readString(key);
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"), pem);
        PrivateKey privateKey = Dkim2Keys.readMlDsa44(pem);
        assertEquals("ML-DSA-44", privateKey.getAlgorithm());

        String[] lines = Files.readString(dir.resolve("pq.zone")).split("\n");
        assertEquals(2, lines.length, String.join("\n", lines));
        Matcher line = Pattern.compile("^pq\\._domainkey\\.example\\.com\\. IN TXT \\(((?: \"[^\"]*\")+) \\)$")
                .matcher(lines[0]);
        assertTrue(line.matches(), lines[0]);
        Matcher strings = Pattern.compile("\"([^\"]*)\"").matcher(line.group(1));
        int count = 0;
        while (strings.find()) {
            assertTrue(strings.group(1).length() <= 255, strings.group(1));
            count++;
        }
        assertTrue(count >= 7, "1312 octets are 1752 base64 characters: " + count + " strings");
        assertTrue(lines[1].startsWith("; k=mldsa44 serves DKIM2 only (experimental): DKIM (RFC 6376) verifiers do not "
                + "know it. Publish it under its own selector, beside an RSA or Ed25519 key, never as the only key"),
                lines[1]);

        // What the zone-file resolver answers is a record the DKIM2 verifier reads, with the key of the file.
        String txt = ZoneFileDns.read(java.util.List.of(dir.resolve("pq.zone"))).txt("pq._domainkey.example.com").join()
                .records().get(0);
        assertTrue(txt.startsWith("v=DKIM1; k=mldsa44; p="), txt);
        Dkim2KeyRecord record = Dkim2KeyRecord.parse(txt);
        assertEquals("mldsa44", record.keyType());
        assertTrue(record.fits(Dkim2Algorithm.MLDSA44));
        assertEquals(Dkim2Keys.mlDsa44Record(((MLDSAPrivateKey) privateKey).getPublicKey()), txt);
    }

    @ParameterizedTest
    @CsvSource({"rsa-sha256", "ed25519-sha256"})
    void keygen_classicalKey_saysItsRecordServesDkim2Too(String algorithm) throws Exception {
        keygen("both", algorithm);
        java.util.List<String> lines = Files.readAllLines(dir.resolve("both.zone"));
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("; this record serves DKIM2 too (draft-ietf-dkim-dkim2-dns-00)", lines.get(1));
        String txt = ZoneFileDns.read(java.util.List.of(dir.resolve("both.zone"))).txt("both._domainkey.example.com")
                .join().records().get(0);
        assertTrue(Dkim2KeyRecord.parse(txt).fits(algorithm.startsWith("rsa") ? Dkim2Algorithm.RSA_SHA256
                : Dkim2Algorithm.ED25519_SHA256), txt);
    }

    @Test
    void keygen_bitsWithMlDsa44_exits2() {
        Run r = run("", "keygen", "--domain", "example.com", "--selector", "pq", "--algorithm", "mldsa44",
                "--bits", "2048", "--out", dir.resolve("x.pem").toString());
        assertEquals(Main.CONFIG_ERROR, r.status());
        assertTrue(r.err().contains("--bits applies to RSA keys only; an ML-DSA-44 key has one size"), r.err());
        assertFalse(Files.exists(dir.resolve("x.pem")));
    }

    @Test
    void keygen_existingFile_isNeverOverwritten() throws Exception {
        Path key = dir.resolve("in-use.pem");
        Files.writeString(key, "the key in use\n");
        Run r = run("", "keygen", "--domain", "example.com", "--selector", "sel", "--out", key.toString());
        assertEquals(Main.CONFIG_ERROR, r.status());
        assertTrue(r.err().contains(key + " exists; refusing to overwrite"), r.err());
        assertEquals("the key in use\n", Files.readString(key));
        assertEquals("", r.out());
    }

    @ParameterizedTest
    @CsvSource({"--algorithm, rsa-sha1, '--algorithm is rsa-sha256, ed25519-sha256 or mldsa44, not ''rsa-sha1'''",
            "--bits, 512, RFC 8301 3.2 requires at least 1024 bits"})
    void keygen_badOption_exits2AndSaysWhy(String option, String value, String message) {
        Run r = run("", "keygen", "--domain", "example.com", "--selector", "sel", option, value, "--out",
                dir.resolve("x.pem").toString());
        assertEquals(Main.CONFIG_ERROR, r.status());
        assertTrue(r.err().contains(message), r.err());
        assertFalse(Files.exists(dir.resolve("x.pem")));
    }

    @Test
    void keygen_bitsWithEd25519_exits2() {
        Run r = run("", "keygen", "--domain", "example.com", "--selector", "sel", "--algorithm", "ed25519-sha256",
                "--bits", "2048", "--out", dir.resolve("x.pem").toString());
        assertEquals(Main.CONFIG_ERROR, r.status());
        assertTrue(r.err().contains("--bits applies to RSA keys only"), r.err());
    }

    @ParameterizedTest
    @CsvSource({"rsa-sha256, relaxed/relaxed", "rsa-sha256, simple/simple", "ed25519-sha256, relaxed/relaxed",
            "ed25519-sha256, simple/relaxed", "rsa-sha256, relaxed/simple"})
    void keygenSignVerify_withTheRecordInAZoneFile_passes(String algorithm, String canonicalization) throws Exception {
        Path key = keygen("rt", algorithm);
        Run signed = run(MESSAGE, "sign", "--domain", "example.com", "--selector", "rt", "--key", key.toString(),
                "--canonicalization", canonicalization);
        assertEquals(0, signed.status(), signed.err());
        assertTrue(signed.out().startsWith("DKIM-Signature: v=1; a=" + algorithm + "; c=" + canonicalization + ";"),
                signed.out());
        Run verified = run(signed.stdout(), "verify", "--dns-zone", dir.resolve("rt.zone").toString());
        assertEquals(0, verified.status(), verified.out() + verified.err());
        assertTrue(Pattern.compile("^dkim=pass header\\.d=example\\.com header\\.s=rt header\\.a=" + algorithm
                + " header\\.b=(\\S{8}|\"\\S{8}\") \\(key INSECURE\\)\n$").matcher(verified.out()).matches(), verified.out());
    }

    @Test
    void sign_algorithmOmitted_theKeyDecides() throws Exception {
        Path key = keygen("ed", "ed25519-sha256");
        Run signed = run(MESSAGE, "sign", "--domain", "example.com", "--selector", "ed", "--key", key.toString());
        assertEquals(0, signed.status(), signed.err());
        assertTrue(signed.out().startsWith("DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;"), signed.out());
    }

    @Test
    void sign_lfInput_givesLfOutput_andCrlfInput_givesCrlfOutput() throws Exception {
        Path key = keygen("le", "ed25519-sha256");
        Run lf = run(MESSAGE, "sign", "--domain", "example.com", "--selector", "le", "--key", key.toString());
        assertEquals(0, lf.status(), lf.err());
        assertFalse(lf.out().contains("\r"), lf.out());
        assertTrue(lf.out().endsWith("\n" + MESSAGE), lf.out());

        String crlfMessage = MESSAGE.replace("\n", "\r\n");
        Run crlf = run(crlfMessage, "sign", "--domain", "example.com", "--selector", "le", "--key", key.toString());
        assertEquals(0, crlf.status(), crlf.err());
        assertFalse(crlf.out().replace("\r\n", "").contains("\n"), "a bare LF in " + crlf.out());
        assertTrue(crlf.out().endsWith("\r\n" + crlfMessage), crlf.out());
        // Both forms carry a signature over the same CRLF message, and both verify.
        for (Run signed : new Run[] {lf, crlf}) {
            Run verified = run(signed.stdout(), "verify", "--dns-zone", dir.resolve("le.zone").toString());
            assertEquals(0, verified.status(), verified.out());
        }
    }

    @Test
    void sign_headersAndIdentity_areWrittenAsAsked() throws Exception {
        Path key = keygen("hi", "rsa-sha256");
        Run signed = run(MESSAGE, "sign", "--domain", "example.com", "--selector", "hi", "--key", key.toString(),
                "--headers", "From:Subject:Message-ID", "--identity", "alice@mail.example.com");
        assertEquals(0, signed.status(), signed.err());
        String field = signed.out().substring(0, signed.out().indexOf("\nFrom:")).replaceAll("\n[ \t]+", " ");
        assertTrue(field.contains(" i=alice@mail.example.com;"), field);
        assertTrue(field.replace(" ", "").contains("h=From:From:Subject:Subject:Message-ID;"), field);
        Run verified = run(signed.stdout(), "verify", "--dns-zone", dir.resolve("hi.zone").toString());
        assertEquals(0, verified.status(), verified.out());
    }

    @Test
    void sign_identityOutsideTheDomain_exits2() throws Exception {
        Path key = keygen("id", "ed25519-sha256");
        Run r = run(MESSAGE, "sign", "--domain", "example.com", "--selector", "id", "--key", key.toString(),
                "--identity", "mallory@example.org");
        assertEquals(Main.CONFIG_ERROR, r.status());
        assertTrue(r.err().contains("identity mallory@example.org is not in d=example.com"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void sign_algorithmThatDoesNotFitTheKey_exits2() throws Exception {
        Path key = keygen("mm", "ed25519-sha256");
        Run r = run(MESSAGE, "sign", "--domain", "example.com", "--selector", "mm", "--key", key.toString(),
                "--algorithm", "rsa-sha256");
        assertEquals(Main.CONFIG_ERROR, r.status());
        assertTrue(r.err().contains("does not fit " + key + ", which holds an Ed25519 key"), r.err());
    }

    @Test
    void sign_unreadableKey_namesTheFile() throws Exception {
        Path key = dir.resolve("not-a-key.pem");
        Files.writeString(key, "hello\n");
        Run r = run(MESSAGE, "sign", "--domain", "example.com", "--selector", "s", "--key", key.toString());
        assertEquals(Main.CONFIG_ERROR, r.status());
        assertTrue(r.err().contains(key + ": cannot read the private key: not a private key"), r.err());
        Run missing = run(MESSAGE, "sign", "--domain", "example.com", "--selector", "s", "--key",
                dir.resolve("absent.pem").toString());
        assertEquals(Main.CONFIG_ERROR, missing.status());
        assertTrue(missing.err().contains("absent.pem: no such key file"), missing.err());
    }

    @Test
    void sign_messageWithoutFrom_exits2() throws Exception {
        Path key = keygen("nf", "ed25519-sha256");
        Run r = run("To: bob@example.net\n\nno sender\n", "sign", "--domain", "example.com", "--selector", "nf",
                "--key", key.toString());
        assertEquals(Main.CONFIG_ERROR, r.status());
        assertTrue(r.err().contains("the message has no From field"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void verify_tamperedBody_failsWithExit1() throws Exception {
        Path key = keygen("tb", "rsa-sha256");
        Run signed = run(MESSAGE, "sign", "--domain", "example.com", "--selector", "tb", "--key", key.toString());
        byte[] tampered = signed.out().replace("this is signed.", "this is forged.").getBytes(StandardCharsets.UTF_8);
        assertFalse(Arrays.equals(tampered, signed.stdout()));
        Run verified = run(tampered, "verify", "--dns-zone", dir.resolve("tb.zone").toString());
        assertEquals(1, verified.status(), verified.out());
        assertTrue(verified.out().startsWith("dkim=fail header.d=example.com header.s=tb header.a=rsa-sha256 "),
                verified.out());
        assertTrue(verified.out().endsWith("(body hash did not verify; key INSECURE)\n"), verified.out());
    }

    @Test
    void verify_tamperedHeader_failsTheSignature() throws Exception {
        Path key = keygen("th", "ed25519-sha256");
        Run signed = run(MESSAGE, "sign", "--domain", "example.com", "--selector", "th", "--key", key.toString());
        Run verified = run(signed.out().replace("Subject: a round trip", "Subject: a round trap"), "verify",
                "--dns-zone", dir.resolve("th.zone").toString());
        assertEquals(1, verified.status(), verified.out());
        assertTrue(verified.out().contains("dkim=fail ") && verified.out().contains("(signature did not verify; key "
                + "INSECURE)"), verified.out());
    }

    @Test
    void verify_keyMissingFromTheZone_isAPermerror() throws Exception {
        Path key = keygen("nk", "ed25519-sha256");
        keygen("other", "ed25519-sha256");
        Run signed = run(MESSAGE, "sign", "--domain", "example.com", "--selector", "nk", "--key", key.toString());
        Run verified = run(signed.stdout(), "verify", "--dns-zone", dir.resolve("other.zone").toString());
        assertEquals(1, verified.status(), verified.out());
        assertTrue(verified.out().startsWith("dkim=permerror header.d=example.com header.s=nk "), verified.out());
    }

    @Test
    void verify_messageWithoutSignature_printsNoneAndExits1() throws Exception {
        keygen("ns", "ed25519-sha256");
        Run verified = run(MESSAGE, "verify", "--dns-zone", dir.resolve("ns.zone").toString());
        assertEquals(1, verified.status());
        assertEquals("dkim=none (no signatures)\n", verified.out());
    }

    @Test
    void verify_now_judgesTheSignatureTimeAtThatInstant() throws Exception {
        Path key = keygen("tm", "ed25519-sha256");
        Run signed = run(MESSAGE, "sign", "--domain", "example.com", "--selector", "tm", "--key", key.toString());
        Matcher t = Pattern.compile("\\bt=(\\d+);").matcher(signed.out());
        assertTrue(t.find(), signed.out());
        long signedAt = Long.parseLong(t.group(1));
        String zone = dir.resolve("tm.zone").toString();
        Run atSigning = run(signed.stdout(), "verify", "--dns-zone", zone, "--now", Long.toString(signedAt));
        assertEquals(0, atSigning.status(), atSigning.out());
        Run beforeSigning = run(signed.stdout(), "verify", "--dns-zone", zone, "--now", Long.toString(signedAt - 3600));
        assertEquals(1, beforeSigning.status(), beforeSigning.out());
        assertTrue(beforeSigning.out().startsWith("dkim=permerror "), beforeSigning.out());
    }

    @Test
    void verify_twoSignaturesOneBroken_printsBothAndExits0() throws Exception {
        Path rsa = keygen("two-rsa", "rsa-sha256");
        Path ed = keygen("two-ed", "ed25519-sha256");
        Run first = run(MESSAGE, "sign", "--domain", "example.com", "--selector", "two-rsa", "--key", rsa.toString());
        Run second = run(first.stdout(), "sign", "--domain", "example.com", "--selector", "two-ed", "--key",
                ed.toString());
        Run verified = run(second.stdout(), "verify", "--dns-zone", dir.resolve("two-ed.zone").toString());
        String[] lines = verified.out().split("\n");
        assertEquals(2, lines.length, verified.out());
        assertTrue(lines[0].startsWith("dkim=pass header.d=example.com header.s=two-ed "), lines[0]);
        assertTrue(lines[1].startsWith("dkim=permerror header.d=example.com header.s=two-rsa "), lines[1]);
        assertEquals(0, verified.status());
        Run both = run(second.stdout(), "verify", "--dns-zone", dir.resolve("two-ed.zone").toString(), "--dns-zone",
                dir.resolve("two-rsa.zone").toString());
        assertEquals(2, both.out().lines().filter(l -> l.startsWith("dkim=pass ")).count(), both.out());
    }

    @Test
    void verify_usageAndInputErrors_exit2() throws Exception {
        keygen("ue", "ed25519-sha256");
        String zone = dir.resolve("ue.zone").toString();
        Run both = run(MESSAGE, "verify", "--dns-zone", zone, "--resolver", "127.0.0.1:53");
        assertEquals(Main.CONFIG_ERROR, both.status());
        assertTrue(both.err().contains("--dns-zone answers every lookup by itself"), both.err());
        Run empty = run("", "verify", "--dns-zone", zone);
        assertEquals(Main.CONFIG_ERROR, empty.status());
        assertTrue(empty.err().contains("standard input is empty"), empty.err());
        Run missing = run(MESSAGE, "verify", "--dns-zone", dir.resolve("absent.zone").toString());
        assertEquals(Main.CONFIG_ERROR, missing.status());
        assertTrue(missing.err().contains("absent.zone: no such file"), missing.err());
        Path broken = dir.resolve("broken.zone");
        Files.writeString(broken, "sel._domainkey.example.com. IN TXT \"v=DKIM1; p=abc\"\nthis is no record\n");
        Run unparsable = run(MESSAGE, "verify", "--dns-zone", broken.toString());
        assertEquals(Main.CONFIG_ERROR, unparsable.status());
        assertTrue(unparsable.err().contains(broken + ": not a master-format zone file (line 2: "), unparsable.err());
        Run anchor = run(MESSAGE, "verify", "--resolver", "127.0.0.1:53", "--trust-anchor",
                dir.resolve("absent.ds").toString());
        assertEquals(Main.CONFIG_ERROR, anchor.status());
        assertTrue(anchor.err().contains("absent.ds: no such trust anchor file"), anchor.err());
        Run unknown = run(MESSAGE, "verify", "--no-such-option");
        assertEquals(Main.CONFIG_ERROR, unknown.status());
        assertTrue(unknown.err().contains("Unknown option: '--no-such-option'"), unknown.err());
        Run noKey = run(MESSAGE, "sign", "--domain", "example.com", "--selector", "ue");
        assertEquals(Main.CONFIG_ERROR, noKey.status());
        assertTrue(noKey.err().contains("Missing required option: '--key=FILE'"), noKey.err());
        Run canon = run(MESSAGE, "sign", "--domain", "example.com", "--selector", "ue", "--key",
                dir.resolve("ue.pem").toString(), "--canonicalization", "relaxed/strict");
        assertEquals(Main.CONFIG_ERROR, canon.status());
        assertTrue(canon.err().contains("not 'relaxed/strict'"), canon.err());
    }

    @Test
    void verify_throughValidatingDns_reportsTheKeySecure() throws Exception {
        Path key = keygen("lab", "ed25519-sha256");
        String record = Files.readString(dir.resolve("lab.zone"));
        String strings = record.substring(record.indexOf('('));
        try (KnotLab lab = KnotLab.start(dir.resolve("lab"), "lab._domainkey.cli IN TXT " + strings)) {
            Run signed = run(MESSAGE.replace("alice@example.com", "alice@cli.good.test"), "sign", "--domain",
                    "cli.good.test", "--selector", "lab", "--key", key.toString());
            assertEquals(0, signed.status(), signed.err());
            Run verified = run(signed.stdout(), "verify", "--resolver", "127.0.0.1:" + lab.address.getPort(),
                    "--trust-anchor", lab.trustAnchors.toString());
            assertEquals(0, verified.status(), verified.out() + verified.err());
            assertTrue(verified.out().startsWith("dkim=pass header.d=cli.good.test header.s=lab "), verified.out());
            assertTrue(verified.out().endsWith(" (key SECURE)\n"), verified.out());
        }
    }

    @Test
    void lineEnds_convertBothWays() {
        byte[] mixed = "a\nb\r\nc".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals("a\r\nb\r\nc".getBytes(StandardCharsets.US_ASCII), DkimCommand.toCrlf(mixed));
        assertArrayEquals("a\nb\nc".getBytes(StandardCharsets.US_ASCII), DkimCommand.toLf(DkimCommand.toCrlf(mixed)));
        assertFalse(DkimCommand.usesCrlf(mixed));
        assertTrue(DkimCommand.usesCrlf("a\r\nb\n".getBytes(StandardCharsets.US_ASCII)));
    }
}
