package org.sealpost.transport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** sealpost spf check --dns-zone FILE, in process: the first line, the explanation, the exit status. */
class SpfCommandTest {

    @TempDir
    Path dir;

    private Path zone;

    private record Run(int status, String out, String err) {
    }

    @BeforeEach
    void zone() throws Exception {
        zone = dir.resolve("spf.zone");
        Files.writeString(zone, """
                example.com.        IN TXT "v=spf1 mx a:relay.example.com/28 include:_spf.example.net -all"
                example.com.        IN MX 10 mx.example.com.
                mx.example.com.     IN A 192.0.2.10
                relay.example.com.  IN A 198.51.100.16
                _spf.example.net.   IN TXT "v=spf1 ip6:2001:db8::/32 ~all"
                helo.example.org.   IN TXT "v=spf1 -all exp=why.example.org"
                why.example.org.    IN TXT "%{i} is not a mail server of %{d}"
                """);
    }

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            String[] all = new String[args.length + 2];
            all[0] = "spf";
            all[1] = "check";
            System.arraycopy(args, 0, all, 2, args.length);
            status = new CommandLine(new Main()).execute(all);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Run(status, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    private Run check(String ip, String helo, String mailFrom) {
        return run("--client-ip", ip, "--helo", helo, "--mail-from", mailFrom, "--dns-zone", zone.toString());
    }

    @Test
    void authorizedClient_passesWithExitZero() {
        Run mx = check("192.0.2.10", "mx.example.com", "alice@example.com");
        assertEquals(0, mx.status(), mx.err());
        assertEquals("spf=pass ('mx' matched in the SPF record of example.com)", mx.out().lines().findFirst().orElse(""));
        Run cidr = check("198.51.100.30", "relay.example.com", "alice@example.com");
        assertEquals(0, cidr.status(), cidr.out());
    }

    @Test
    void otherResults_exitOne() {
        Run fail = check("203.0.113.5", "evil.example", "alice@example.com");
        assertEquals(1, fail.status());
        assertTrue(fail.out().startsWith("spf=fail ('-all' matched"), fail.out());
        Run none = check("203.0.113.5", "evil.example", "bob@unknown.example");
        assertEquals(1, none.status());
        assertTrue(none.out().startsWith("spf=none "), none.out());
    }

    @Test
    void nullSender_checksTheHeloIdentity_andPrintsTheExplanation() {
        Run r = check("203.0.113.5", "helo.example.org", "");
        assertEquals(1, r.status());
        assertEquals("spf=fail ('-all' matched in the SPF record of helo.example.org)\n"
                + "explanation: 203.0.113.5 is not a mail server of helo.example.org\n", r.out());
    }

    @Test
    void badArguments_areUsageErrorsWithExitTwo() {
        Run ip = check("mail.example.com", "h.example", "a@example.com");
        assertEquals(2, ip.status());
        assertTrue(ip.err().contains("--client-ip is an IPv4 or IPv6 address"), ip.err());
        Run both = run("--client-ip", "192.0.2.1", "--helo", "h.example", "--mail-from", "a@example.com",
                "--dns-zone", zone.toString(), "--resolver", "127.0.0.1:53");
        assertEquals(2, both.status());
        assertTrue(both.err().contains("--dns-zone answers every lookup by itself"), both.err());
        Run missing = run("--client-ip", "192.0.2.1", "--helo", "h.example");
        assertEquals(2, missing.status());
        Run absent = run("--client-ip", "192.0.2.1", "--helo", "h.example", "--mail-from", "a@example.com",
                "--dns-zone", dir.resolve("absent.zone").toString());
        assertEquals(2, absent.status());
        assertTrue(absent.err().contains("absent.zone: no such file"), absent.err());
    }
}
