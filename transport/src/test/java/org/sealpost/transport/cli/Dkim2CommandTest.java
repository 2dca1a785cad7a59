package org.sealpost.transport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.dnssec.lab.KnotLab;
import picocli.CommandLine;

/**
 * sealpost dkim keygen -> zone files -> sealpost dkim2 sign (an originator, then a list that tags
 * the subject and adds a footer, with --revised-from) -> sealpost dkim2 verify --changes, in process;
 * and keygen's ML-DSA-44 record -> a zone file or a DNSSEC-signed Knot zone -> sign beside Ed25519 -> verify.
 */
class Dkim2CommandTest {

    private static final String NOW = "1795939200"; // 2026-11-30T00:00:00Z
    private static final String MESSAGE = "From: Alice <alice@example.com>\nTo: list@lists.example.org\n"
            + "Subject: minutes\nDate: Mon, 30 Nov 2026 00:00:00 +0000\nMessage-ID: <m@example.com>\n"
            + "MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\nThe minutes are attached.\n";

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String stdin, String... args) {
        InputStream in = System.in;
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status;
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            status = new CommandLine(new Main()).execute(args);
        } finally {
            System.setIn(in);
            System.setOut(out);
            System.setErr(err);
        }
        return new Run(status, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    /** A key for {@code domain}, its record in DOMAIN.zone. */
    private Path key(String domain, String algorithm) throws Exception {
        Path key = dir.resolve(domain + ".pem");
        Run r = run("", "dkim", "keygen", "--domain", domain, "--selector", "s1", "--algorithm", algorithm,
                "--out", key.toString());
        assertEquals(0, r.status(), r.err());
        Files.writeString(dir.resolve(domain + ".zone"), r.out());
        return key;
    }

    private List<String> zones() {
        List<String> options = new ArrayList<>();
        for (String domain : List.of("example.com", "lists.example.org")) {
            options.add("--dns-zone");
            options.add(dir.resolve(domain + ".zone").toString());
        }
        return options;
    }

    private Run sign(String message, String domain, Path key, String mailFrom, String rcptTo, String... more) {
        List<String> args = new ArrayList<>(List.of("dkim2", "sign", "--domain", domain, "--selector", "s1", "--key",
                key.toString(), "--mail-from", mailFrom, "--rcpt-to", rcptTo, "--now", NOW));
        args.addAll(zones());
        args.addAll(List.of(more));
        return run(message, args.toArray(String[]::new));
    }

    private Run verify(String message, String mailFrom, String... more) {
        List<String> args = new ArrayList<>(List.of("dkim2", "verify", "--mail-from", mailFrom, "--now", NOW));
        args.addAll(zones());
        args.addAll(List.of(more));
        return run(message, args.toArray(String[]::new));
    }

    @Test
    void originatorSigns_listRevises_verifyReportsEachHopAndItsChanges() throws Exception {
        Path alice = key("example.com", "ed25519-sha256");
        Path list = key("lists.example.org", "rsa-sha256");

        Run first = sign(MESSAGE, "example.com", alice, "alice@example.com", "list@lists.example.org");
        assertEquals(0, first.status(), first.err());
        assertTrue(first.out().startsWith("Message-Instance: ") || first.out().startsWith("DKIM2-Signature: "), first.out());
        assertTrue(first.out().endsWith(MESSAGE), "the message follows the fields, with its LF line ends");

        Run arrived = verify(first.out(), "alice@example.com", "--rcpt-to", "list@lists.example.org");
        assertEquals(0, arrived.status(), arrived.out() + arrived.err());
        assertEquals("dkim2=pass", arrived.out().lines().findFirst().orElse(""));
        assertTrue(arrived.out().contains("hop 1 d=example.com mail-from=alice@example.com rcpt-to=list@lists.example.org pass"),
                arrived.out());

        Path asArrived = Files.writeString(dir.resolve("arrived.eml"), first.out());
        String revised = first.out().replace("Subject: minutes", "Subject: [list] minutes")
                + "-- \nlist mailing list\n";
        Run unrevised = sign(revised, "lists.example.org", list, "list-bounces@lists.example.org", "bob@example.net");
        assertEquals(1, unrevised.status(), unrevised.out());
        assertTrue(unrevised.err().contains("--revised-from"), unrevised.err());

        Run second = sign(revised, "lists.example.org", list, "list-bounces@lists.example.org", "bob@example.net",
                "--revised-from", asArrived.toString());
        assertEquals(0, second.status(), second.err());
        Run both = verify(second.out(), "list-bounces@lists.example.org", "--rcpt-to", "bob@example.net", "--changes");
        assertEquals(0, both.status(), both.out() + both.err());
        assertEquals(List.of("dkim2=pass", both.out().lines().toList().get(1),
                "hop 1 d=example.com mail-from=alice@example.com rcpt-to=list@lists.example.org pass",
                "hop 2 d=lists.example.org mail-from=list-bounces@lists.example.org rcpt-to=bob@example.net pass",
                "  changed header subject",
                "  changed part 1 text/plain"), both.out().lines().toList());
    }

    @Test
    void aReplayToAnotherRecipient_isNoPass_andTheReasonNamesIt() throws Exception {
        Path alice = key("example.com", "ed25519-sha256");
        key("lists.example.org", "ed25519-sha256");
        Run signed = sign(MESSAGE, "example.com", alice, "alice@example.com", "list@lists.example.org");
        assertEquals(0, signed.status(), signed.err());
        Run replay = verify(signed.out(), "alice@example.com", "--rcpt-to", "mallory@evil.example");
        assertEquals(1, replay.status(), replay.out());
        List<String> lines = replay.out().lines().toList();
        assertEquals("dkim2=permerror", lines.get(0));
        assertTrue(lines.get(1).contains("RCPT TO <mallory@evil.example> did not match"), lines.get(1));
        assertTrue(lines.get(2).startsWith("hop 1 d=example.com mail-from=alice@example.com"), lines.get(2));
    }

    @Test
    void theNullSender_signsAndVerifies_andAMessageWithoutDkim2IsNone() throws Exception {
        Path alice = key("example.com", "rsa-sha256");
        key("lists.example.org", "ed25519-sha256");
        Run bounce = sign(MESSAGE, "example.com", alice, "", "list@lists.example.org");
        assertEquals(0, bounce.status(), bounce.err());
        Run checked = verify(bounce.out(), "", "--rcpt-to", "list@lists.example.org");
        assertEquals(0, checked.status(), checked.out() + checked.err());
        assertTrue(checked.out().contains("hop 1 d=example.com mail-from= rcpt-to=list@lists.example.org pass"),
                checked.out());
        Run none = verify(MESSAGE, "alice@example.com", "--rcpt-to", "list@lists.example.org");
        assertEquals(1, none.status());
        assertEquals("dkim2=none", none.out().lines().findFirst().orElse(""));
    }

    /** keygen --algorithm mldsa44 for example.com under {@code selector}: the key file and the printed record. */
    private Path mlDsaKey(String selector, String name) throws Exception {
        Path key = dir.resolve(name + ".pem");
        Run r = run("", "dkim", "keygen", "--domain", "example.com", "--selector", selector, "--algorithm", "mldsa44",
                "--out", key.toString());
        assertEquals(0, r.status(), r.err());
        Files.writeString(dir.resolve(name + ".zone"), r.out());
        return key;
    }

    @Test
    void keygenMlDsa44_signedBesideEd25519_verifiesWithTheMlDsaSigSetChecked() throws Exception {
        Path alice = key("example.com", "ed25519-sha256");
        key("lists.example.org", "ed25519-sha256");
        Path pq = mlDsaKey("pq", "pq");
        String classical = Files.readString(dir.resolve("example.com.zone"));
        Files.writeString(dir.resolve("example.com.zone"), classical + Files.readString(dir.resolve("pq.zone")));

        Run signed = sign(MESSAGE, "example.com", alice, "alice@example.com", "list@lists.example.org",
                "--mldsa-selector", "pq", "--mldsa-key", pq.toString());
        assertEquals(0, signed.status(), signed.err());
        String fields = signed.out().substring(0, signed.out().indexOf("\nFrom: "));
        assertTrue(fields.replaceAll("\\s", "").contains("s=s1:ed25519-sha256:"), fields);
        assertTrue(fields.replaceAll("\\s", "").contains("pq:mldsa44:"), fields);
        Run verified = verify(signed.out(), "alice@example.com", "--rcpt-to", "list@lists.example.org");
        assertEquals(0, verified.status(), verified.out() + verified.err());
        assertEquals("dkim2=pass", verified.out().lines().findFirst().orElse(""));

        // Another ML-DSA-44 key under pq: the Ed25519 sig-set still passes, yet the signature fails, so the
        // verifier checked the ML-DSA sig-set against the record keygen printed (-06 11.6: every known one).
        mlDsaKey("pq", "pq-other");
        Files.writeString(dir.resolve("example.com.zone"), classical + Files.readString(dir.resolve("pq-other.zone")));
        Run otherKey = verify(signed.out(), "alice@example.com", "--rcpt-to", "list@lists.example.org");
        assertEquals(1, otherKey.status(), otherKey.out());
        List<String> lines = otherKey.out().lines().toList();
        assertEquals("dkim2=fail", lines.get(0));
        assertTrue(lines.get(1).endsWith("s1 signature passed, pq signature failed"), lines.get(1));
    }

    @Test
    void keygenRecords_withTheirComments_signIntoADnssecZone_andVerifyThroughIt() throws Exception {
        Path ed = dir.resolve("ed.pem");
        Path pq = dir.resolve("pq.pem");
        Run edRecord = run("", "dkim", "keygen", "--domain", "cli.good.test", "--selector", "ed", "--algorithm",
                "ed25519-sha256", "--out", ed.toString());
        Run pqRecord = run("", "dkim", "keygen", "--domain", "cli.good.test", "--selector", "pq", "--algorithm", "mldsa44",
                "--out", pq.toString());
        assertEquals(0, edRecord.status() + pqRecord.status(), edRecord.err() + pqRecord.err());
        try (KnotLab lab = KnotLab.start(dir.resolve("lab"), edRecord.out() + pqRecord.out())) {
            String message = MESSAGE.replace("alice@example.com", "alice@cli.good.test");
            Run signed = run(message, "dkim2", "sign", "--domain", "cli.good.test", "--selector", "ed", "--key",
                    ed.toString(), "--mldsa-selector", "pq", "--mldsa-key", pq.toString(), "--mail-from",
                    "alice@cli.good.test", "--rcpt-to", "bob@example.net", "--now", NOW);
            assertEquals(0, signed.status(), signed.err());
            Run verified = run(signed.out(), "dkim2", "verify", "--mail-from", "alice@cli.good.test", "--rcpt-to",
                    "bob@example.net", "--now", NOW, "--resolver", "127.0.0.1:" + lab.address.getPort(),
                    "--trust-anchor", lab.trustAnchors.toString());
            assertEquals(0, verified.status(), verified.out() + verified.err());
        }
    }

    @Test
    void usageErrors_exit2_andSayWhat() throws Exception {
        Run noKey = run(MESSAGE, "dkim2", "sign", "--domain", "example.com", "--selector", "s1", "--key",
                dir.resolve("missing.pem").toString(), "--mail-from", "a@example.com", "--rcpt-to", "b@example.net");
        assertEquals(Main.CONFIG_ERROR, noKey.status());
        assertTrue(noKey.err().contains("missing.pem: no such key file"), noKey.err());
        Run noRcpt = run(MESSAGE, "dkim2", "verify", "--mail-from", "a@example.com");
        assertEquals(Main.CONFIG_ERROR, noRcpt.status());
        assertTrue(noRcpt.err().contains("--rcpt-to"), noRcpt.err());
        Path alice = key("example.com", "ed25519-sha256");
        Run empty = run("", "dkim2", "sign", "--domain", "example.com", "--selector", "s1", "--key", alice.toString(),
                "--mail-from", "a@example.com", "--rcpt-to", "b@example.net");
        assertEquals(Main.CONFIG_ERROR, empty.status());
        assertTrue(empty.err().contains("standard input is empty"), empty.err());
    }
}
