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

/** sealpost dmarc record DOMAIN --dns-zone FILE, in process. */
class DmarcCommandTest {

    @TempDir
    Path dir;

    private Path zone;

    private record Run(int status, String out, String err) {
    }

    @BeforeEach
    void writeZone() throws Exception {
        zone = dir.resolve("example.zone");
        Files.writeString(zone, """
                _dmarc.example.com. 300 IN TXT "v=DMARC1; p=reject; " "sp=quarantine"
                _dmarc.gov.example. 300 IN TXT "v=DMARC1; p=reject; psd=y"
                _dmarc.two.example. 300 IN TXT "v=DMARC1; p=none"
                _dmarc.two.example. 300 IN TXT "v=DMARC1; p=reject"
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
            all[0] = "dmarc";
            all[1] = "record";
            System.arraycopy(args, 0, all, 2, args.length);
            status = new CommandLine(new Main()).execute(all);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Run(status, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void recordFoundSeveralLabelsUp_isPrintedWithWhereAndTheWalk() {
        Run r = run("a.b.example.com", "--dns-zone", zone.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("""
                record: v=DMARC1; p=reject; sp=quarantine
                policy-domain: example.com
                organizational-domain: example.com
                walk: _dmarc.a.b.example.com _dmarc.b.example.com _dmarc.example.com _dmarc.com
                """, r.out());
    }

    @Test
    void publicSuffixRecord_appliesBelowIt_andNamesTheOrganizationalDomain() {
        Run r = run("mail.agency.gov.example", "--dns-zone", zone.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("policy-domain: gov.example\norganizational-domain: agency.gov.example\n"), r.out());
    }

    @Test
    void noRecord_exitsOne() {
        Run r = run("example.org", "--dns-zone", zone.toString());
        assertEquals(DmarcCommand.NO_RECORD, r.status());
        assertEquals("record: none\npolicy-domain: none\norganizational-domain: example.org\n"
                + "walk: _dmarc.example.org _dmarc.org\n", r.out());
    }

    @Test
    void severalRecordsAtOneName_areDiscarded_andSaySo() {
        Run r = run("two.example", "--dns-zone", zone.toString());
        assertEquals(DmarcCommand.NO_RECORD, r.status());
        assertTrue(r.out().contains("note: _dmarc.two.example has 2 DMARC records; all are discarded"), r.out());
    }

    @Test
    void usageErrors_exitTwo() {
        assertEquals(Main.CONFIG_ERROR, run().status());
        Run bad = run("not..a.domain", "--dns-zone", zone.toString());
        assertEquals(Main.CONFIG_ERROR, bad.status());
        assertTrue(bad.err().contains("'not..a.domain' is not a domain name"), bad.err());
        Run both = run("example.com", "--dns-zone", zone.toString(), "--resolver", "127.0.0.1:53");
        assertEquals(Main.CONFIG_ERROR, both.status());
        Run missing = run("example.com", "--dns-zone", dir.resolve("absent.zone").toString());
        assertEquals(Main.CONFIG_ERROR, missing.status());
        assertTrue(missing.err().contains("absent.zone: no such file"), missing.err());
    }
}
