package org.sealpost.transport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * sealpost spf check and sealpost dmarc record given bad input, in process: zone files that are
 * broken, records too long or holding a NUL, loops of includes and of CNAMEs, names that are not
 * domains. Each must end with a message that says what was wrong and the documented exit status
 * (2 for a usage error, 1 for a result other than pass or a record that applies), never a stack trace.
 */
class CommandBadInputTest {

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
        String all() {
            return "exit " + status + "\n" + out + err;
        }
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
            status = new CommandLine(new Main()).execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Run(status, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    private Path zone(String text) throws Exception {
        Path file = Files.createTempFile(dir, "zone", ".txt");
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        return file;
    }

    private static Run spf(Path zone) {
        return run("spf", "check", "--client-ip", "192.0.2.1", "--helo", "h.example.com", "--mail-from", "a@example.com",
                "--dns-zone", zone.toString());
    }

    private static Run dmarc(Path zone) {
        return run("dmarc", "record", "example.com", "--dns-zone", zone.toString());
    }

    @Test
    void brokenZoneFile_isAUsageError_namingTheFileAndLine() throws Exception {
        Path broken = zone("example.com. IN TXT \"v=spf1 -all\"\nexample.com. IN MX notanumber mx.example.com.\n");
        for (Run r : new Run[] {spf(broken), dmarc(broken)}) {
            assertEquals(2, r.status(), r.all());
            assertTrue(r.err().contains(broken + ": not a master-format zone file (line 2: expected an integer)"), r.all());
            assertTrue(!r.err().contains("\tat "), r.all());
        }
    }

    @Test
    void stringOverTheLimitOf255Octets_isAUsageError() throws Exception {
        Path tooLong = zone("example.com. IN TXT \"v=spf1 " + "a".repeat(300) + "\"\n");
        for (Run r : new Run[] {spf(tooLong), dmarc(tooLong)}) {
            assertEquals(2, r.status(), r.all());
            assertTrue(r.err().contains("text string too long"), r.all());
        }
    }

    @Test
    void longRecordsInManyStrings_areJoined() throws Exception {
        // RFC 7208 3.3 and RFC 9989 4.7: the strings of one TXT record are joined with nothing between.
        Path zone = zone("example.com. IN TXT \"v=spf1 \" " + "\"ip4:198.51.100.1 ip4:198.51.100.2 \" ".repeat(100)
                + "\"ip4:192.0.2.1 -all\"\n_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\" "
                + "\"; x=1\"".repeat(300) + "\n");
        Run spf = spf(zone);
        assertEquals(0, spf.status(), spf.all());
        assertTrue(spf.out().startsWith("spf=pass ('ip4:192.0.2.1' matched"), spf.all());
        Run dmarc = dmarc(zone);
        assertEquals(0, dmarc.status(), dmarc.all());
        assertTrue(dmarc.out().startsWith("record: v=DMARC1; p=reject; x=1; x=1"), dmarc.all());
    }

    @Test
    void nulInAnSpfRecord_isAPermerrorNamingTheTerm() throws Exception {
        Path zone = zone("example.com. IN TXT \"v=spf1 ip4:192.0.2.1\\000 -all\"\n");
        Run r = spf(zone);
        assertEquals(1, r.status(), r.all());
        assertEquals("spf=permerror (the SPF record of example.com is malformed: 'ip4:192.0.2.1\\000': '192.0.2.1\\000'"
                + " is not an IPv4 address)", r.out().strip(), r.all());
    }

    @Test
    void nulAfterTheVersion_isNoDmarcRecord() throws Exception {
        Run r = dmarc(zone("_dmarc.example.com. IN TXT \"v=DMARC1\\000; p=reject\"\n"));
        assertEquals(1, r.status(), r.all());
        assertTrue(r.out().startsWith("record: none\n"), r.all());
    }

    @Test
    void unusablePolicy_isNamedInANote() throws Exception {
        // RFC 9989 4.10.1: without a valid p= (here a NUL after it) and without a valid rua= the record
        // is not applied; DMARC gives permerror. The record is printed, and why it is unusable.
        Run r = dmarc(zone("_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\\000\"\n"));
        assertEquals(0, r.status(), r.all());
        assertTrue(r.out().contains("note: p=reject\\000 is not none, quarantine or reject; with no valid rua= the record"
                + " is not applied: permerror (RFC 9989 4.10.1)\n"), r.all());
        Run none = dmarc(zone("_dmarc.example.com. IN TXT \"v=DMARC1; p=block; rua=mailto:d@example.com\"\n"));
        assertTrue(none.out().contains("note: p=block is not none, quarantine or reject; the record is applied as"
                + " p=none, as its rua= holds a valid URI (RFC 9989 4.10.1)\n"), none.all());
    }

    @Test
    void loopOfIncludes_isAPermerrorAtTheLimitOfTenLookups() throws Exception {
        Path zone = zone("example.com. IN TXT \"v=spf1 include:b.example.com -all\"\n"
                + "b.example.com. IN TXT \"v=spf1 include:example.com -all\"\n");
        Run r = spf(zone);
        assertEquals(1, r.status(), r.all());
        assertTrue(r.out().startsWith("spf=permerror ('include:b.example.com' in the SPF record of example.com is term 11"
                + " that queries DNS; RFC 7208 4.6.4 allows 10)"), r.all());
    }

    @Test
    void loopOfCnames_isATemperrorThatSaysSo() throws Exception {
        Path zone = zone("example.com. IN CNAME b.example.com.\nb.example.com. IN CNAME example.com.\n"
                + "_dmarc.example.com. IN CNAME _dmarc.b.example.com.\n_dmarc.b.example.com. IN CNAME _dmarc.example.com.\n");
        Run spf = spf(zone);
        assertEquals(1, spf.status(), spf.all());
        assertTrue(spf.out().startsWith("spf=temperror (the TXT lookup of example.com failed: servfail, example.com: a CNAME"
                + " chain of more than 8 steps in the zone files)"), spf.all());
        Run dmarc = dmarc(zone);
        assertEquals(1, dmarc.status(), dmarc.all());
        assertTrue(dmarc.out().contains("temperror: TXT _dmarc.example.com: SERVFAIL (_dmarc.example.com: a CNAME chain"),
                dmarc.all());
    }

    @Test
    void emptyOrMissingZoneFile_isAUsageError() throws Exception {
        Path empty = zone("; no records\n");
        Path missing = dir.resolve("missing.zone");
        for (Run r : new Run[] {spf(empty), dmarc(empty)}) {
            assertEquals(2, r.status(), r.all());
            assertTrue(r.err().contains(empty + ": holds no records"), r.all());
        }
        for (Run r : new Run[] {spf(missing), dmarc(missing)}) {
            assertEquals(2, r.status(), r.all());
            assertTrue(r.err().contains(missing + ": no such file"), r.all());
        }
    }

    @Test
    void namesThatAreNotDomains_areUsageErrorsForDmarc_andNoneForSpf() throws Exception {
        Path zone = zone("example.com. IN TXT \"v=spf1 -all\"\n");
        for (String name : new String[] {"exa mple.com", "a..b", "", "x".repeat(300) + ".com", "[192.0.2.1]"}) {
            Run r = run("dmarc", "record", name, "--dns-zone", zone.toString());
            assertEquals(2, r.status(), r.all());
            assertTrue(r.err().contains("'" + name + "' is not a domain name; give a domain such as example.com"), r.all());
        }
        // RFC 7208 4.3: a MAIL FROM domain that is not a domain name gives none, without a lookup.
        Run literal = run("spf", "check", "--client-ip", "192.0.2.1", "--helo", "h", "--mail-from", "a@[192.0.2.1]",
                "--dns-zone", zone.toString());
        assertEquals(1, literal.status(), literal.all());
        assertEquals("spf=none ('[192.0.2.1]' is an address literal, not a domain)", literal.out().strip());
    }

    @Test
    void check_badMtaStsPortOrTlsCaFile_isAUsageError_sayingWhich() throws Exception {
        Run port = run("check", "example.test", "--resolver", "127.0.0.1:9", "--mta-sts-port", "0");
        assertEquals(2, port.status(), port.all());
        assertTrue(port.err().contains("--mta-sts-port: 0 is not a port number (1 to 65535)"), port.all());

        Path notPem = zone("not a certificate\n");
        Run ca = run("check", "example.test", "--resolver", "127.0.0.1:9", "--tls-ca-file", notPem.toString());
        assertEquals(2, ca.status(), ca.all());
        assertTrue(ca.err().contains("--tls-ca-file " + notPem + ": cannot load the certificate authorities"), ca.all());
        assertTrue(ca.err().contains("expected PEM certificates"), ca.all());
    }
}
