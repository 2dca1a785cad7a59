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
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.signing.arc.ArcResult;
import org.sealpost.signing.arc.ArcSealer;
import org.sealpost.signing.arc.ArcStatus;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.SigningKey;
import picocli.CommandLine;

/** sealpost auth check --dns-zone FILE < message, in process: the two lines and the exit status. */
class AuthCommandTest {

    @TempDir
    Path dir;

    private Path zone;

    private record Run(int status, String out, String err) {
    }

    @BeforeEach
    void zone() throws Exception {
        zone = dir.resolve("auth.zone");
        Files.writeString(zone, """
                example.com.         IN TXT "v=spf1 ip4:192.0.2.10 -all"
                _dmarc.example.com.  IN TXT "v=DMARC1; p=reject"
                held.example.        IN TXT "v=spf1 -all"
                _dmarc.held.example. IN TXT "v=DMARC1; p=quarantine"
                """);
    }

    private static Run run(String message, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
            String[] all = new String[args.length + 2];
            all[0] = "auth";
            all[1] = "check";
            System.arraycopy(args, 0, all, 2, args.length);
            status = new CommandLine(new Main()).execute(all);
        } finally {
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        }
        return new Run(status, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void alignedSpfPass_isAccepted_withTheFieldOnOneLine() {
        Run run = run("From: a@example.com\nSubject: x\n\nbody\n", "--client-ip", "192.0.2.10", "--helo", "mail.example.com",
                "--mail-from", "a@example.com", "--authserv-id", "mx.example.net", "--dns-zone", zone.toString());
        assertEquals(0, run.status(), run.out() + run.err());
        String[] lines = run.out().split("\n");
        assertEquals("Authentication-Results: mx.example.net; spf=pass ('ip4:192.0.2.10' matched in the SPF record of "
                + "example.com) smtp.mailfrom=a@example.com; dkim=none; arc=none; dmarc=pass (p=reject dis=none) "
                + "header.from=example.com", lines[0]);
        assertEquals("verdict: accept", lines[1]);
    }

    @Test
    void forgery_isRejected_exit1() {
        Run run = run("From: a@example.com\n\nbody\n", "--client-ip", "198.51.100.1", "--helo", "x.example",
                "--mail-from", "a@example.com", "--dns-zone", zone.toString());
        assertEquals(1, run.status(), run.out() + run.err());
        assertTrue(run.out().split("\n")[1].startsWith("verdict: reject 550 5.7.1 "), run.out());
    }

    @Test
    void quarantine_exit0() {
        Run run = run("From: b@held.example\n\nbody\n", "--client-ip", "198.51.100.1", "--helo", "x.example",
                "--mail-from", "", "--dns-zone", zone.toString());
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains(" smtp.helo=x.example;"), run.out());
        assertEquals("verdict: quarantine", run.out().split("\n")[1]);
    }

    @Test
    void unresolvablePolicy_isDeferred_exit4() throws Exception {
        Run run = run("From: c@nowhere.example\n\nbody\n", "--client-ip", "198.51.100.1", "--helo", "x.example",
                "--mail-from", "c@nowhere.example", "--resolver", "127.0.0.1:9", "--dns-zone-timeout-is-not-an-option");
        assertEquals(2, run.status(), "an unknown option is a usage error");
    }

    @Test
    void configGivesTheAuthservIdAndReportMode() throws Exception {
        Path config = dir.resolve("sealpost.conf");
        Files.writeString(config, "hostname = mx.example.net\nauthserv_id = auth.example.net\nlisteners = mx\n"
                + "listener.mx.role = mx\nlistener.mx.address = 127.0.0.1:2525\nlistener.mx.dmarc_policy = report\n"
                + "queue_directory = " + dir.resolve("queue") + "\n");
        Run run = run("From: a@example.com\n\nbody\n", "--client-ip", "198.51.100.1", "--helo", "x.example",
                "--mail-from", "a@example.com", "--config", config.toString(), "--dns-zone", zone.toString());
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().startsWith("Authentication-Results: auth.example.net; spf=fail"), run.out());
        assertTrue(run.out().contains("dmarc=fail (p=reject dis=none; dmarc_policy=report, would reject)"), run.out());
        assertEquals("verdict: accept", run.out().split("\n")[1]);
    }

    @Test
    void configWithHeldPins_appliesTheSigningPolicyOfTheFromDomainsMx() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        java.security.KeyPair tls = generator.generateKeyPair();
        java.time.Instant now = java.time.Instant.now();
        org.sealpost.keyexchange.pins.KeySet set = org.sealpost.keyexchange.pins.KeySet.sign("mx.example.com", 1,
                now.minusSeconds(3600), now.plusSeconds(86_400), "",
                java.util.List.of(org.sealpost.keyexchange.pins.KeySet.spkiSha256(tls.getPublic())), java.util.List.of(),
                java.util.List.of(new org.sealpost.keyexchange.pins.KeySet.Dkim("example.com", "s1", "ed25519")),
                tls.getPrivate());
        new org.sealpost.cache.DurableStore(dir.resolve("queue/pins")).put("mx.example.com:25",
                new org.sealpost.keyexchange.pins.Pin(set, now, now).encode());
        Files.writeString(zone, "example.com. IN MX 10 mx.example.com.\n", StandardOpenOption.APPEND);
        Path config = dir.resolve("sealpost.conf");
        Files.writeString(config, "hostname = mx.example.net\nlisteners = mx\nlistener.mx.role = mx\n"
                + "listener.mx.address = 127.0.0.1:2525\nxkeys_signing_policy = enforce\n"
                + "queue_directory = " + dir.resolve("queue") + "\n");
        Run run = run("From: a@example.com\n\nbody\n", "--client-ip", "192.0.2.10", "--helo", "mail.example.com",
                "--mail-from", "a@example.com", "--config", config.toString(), "--dns-zone", zone.toString());
        assertEquals(1, run.status(), run.out() + run.err());
        assertTrue(run.out().split("\n")[0].endsWith("dmarc=pass (p=reject dis=none) header.from=example.com "
                + "policy.xkeys-signing=fail (the key set of mx.example.com:25 lists s=s1 for example.com; no passing DKIM "
                + "signature by example.com)"), run.out());
        assertTrue(run.out().split("\n")[1].startsWith("verdict: reject 550 5.7.1 Error: mail from example.com must carry "
                + "a passing DKIM signature by example.com: the XKEYS key set of its MX mx.example.com (port 25)"), run.out());
    }

    /** A p=reject message from example.com that list.example passed on and sealed, after recording dmarc=pass. */
    private String sealedByTheList() throws Exception {
        GeneratedKey key = DkimKeys.generate(KeyType.ED25519, 0);
        Files.writeString(zone, "arc._domainkey.list.example. IN TXT \"" + key.txtRecord() + "\"\n"
                + "list.example. IN TXT \"v=spf1 ip4:203.0.113.5 -all\"\n", StandardOpenOption.APPEND);
        String message = "From: a@example.com\r\nTo: list@list.example\r\nSubject: [list] x\r\n\r\nbody\r\n";
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        // The message reached the list without ARC fields: the list's set is i=1 with cv=none.
        ArcResult arriving = new ArcResult(ArcStatus.NONE, "no ARC sets", false, 0, java.util.List.of());
        return new ArcSealer(SigningKey.of("list.example", "arc", key.privateKey())).seal(bytes, arriving,
                "mx.list.example; spf=pass smtp.mailfrom=a@example.com; dmarc=pass header.from=example.com; arc=none")
                + message;
    }

    @Test
    void trustedArcSealer_fromTheOptionOrTheConfig_rescuesTheDmarcFailure() throws Exception {
        String message = sealedByTheList();
        String[] common = {"--client-ip", "203.0.113.5", "--helo", "mail.list.example", "--mail-from",
            "bounces@list.example", "--authserv-id", "mx.example.net", "--dns-zone", zone.toString()};
        Run untrusted = run(message, common);
        assertEquals(1, untrusted.status(), untrusted.out() + untrusted.err());
        assertTrue(untrusted.out().contains("; arc=pass (i=1 d=list.example) header.oldest-pass=0; dmarc=fail (p=reject "
                + "dis=reject) header.from=example.com"), untrusted.out());
        String[] trusted = java.util.Arrays.copyOf(common, common.length + 2);
        trusted[common.length] = "--arc-trusted-sealer";
        trusted[common.length + 1] = "list.example";
        Run rescued = run(message, trusted);
        assertEquals(0, rescued.status(), rescued.out() + rescued.err());
        assertTrue(rescued.out().contains("dmarc=fail (p=reject dis=none; overridden by trusted ARC sealer list.example) "
                + "header.from=example.com"), rescued.out());
        assertEquals("verdict: accept", rescued.out().split("\n")[1]);
        Path config = dir.resolve("sealpost.conf");
        Files.writeString(config, "hostname = mx.example.net\narc_trusted_sealers = other.example, list.example\n"
                + "listeners = mx\nlistener.mx.role = mx\nlistener.mx.address = 127.0.0.1:2525\nqueue_directory = " + dir.resolve("queue") + "\n");
        String[] configured = java.util.Arrays.copyOf(common, common.length + 2);
        configured[common.length] = "--config";
        configured[common.length + 1] = config.toString();
        Run fromConfig = run(message, configured);
        assertEquals(0, fromConfig.status(), fromConfig.out() + fromConfig.err());
        assertEquals("verdict: accept", fromConfig.out().split("\n")[1]);
        Run bad = run(message, "--client-ip", "203.0.113.5", "--helo", "x", "--mail-from", "", "--arc-trusted-sealer",
                "not a domain", "--dns-zone", zone.toString());
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--arc-trusted-sealer is a domain"), bad.err());
    }

    @Test
    void badClientIp_isAUsageError() {
        Run run = run("", "--client-ip", "mail.example.com", "--helo", "x", "--mail-from", "a@example.com",
                "--dns-zone", zone.toString());
        assertEquals(2, run.status());
        assertTrue(run.err().contains("--client-ip is an IPv4 or IPv6 address"), run.err());
    }
}
