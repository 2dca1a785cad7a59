package org.sealpost.transport.cli;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** sealpost arc verify|sign --dns-zone FILE, in process: the first line, the sealed output, the exit status. */
class ArcCommandTest {

    private static final String MESSAGE = "From: alice@origin.example\n"
            + "To: bob@example.net\n"
            + "Subject: hi\n"
            + "\n"
            + "body\n";

    @TempDir
    Path dir;

    private Path zone;
    private Path key;

    private record Run(int status, String out, String err) {
    }

    @BeforeEach
    void keys() throws Exception {
        key = dir.resolve("arc.pem");
        Run keygen = run("", "dkim", "keygen", "--domain", "fwd.example", "--selector", "arc", "--out", key.toString());
        assertEquals(0, keygen.status(), keygen.err());
        zone = dir.resolve("keys.zone");
        Files.writeString(zone, keygen.out());
    }

    private static Run run(String stdin, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status;
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.ISO_8859_1)));
            System.setOut(new PrintStream(stdout, true, StandardCharsets.ISO_8859_1));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            status = new CommandLine(new Main()).execute(args);
        } finally {
            System.setIn(in);
            System.setOut(out);
            System.setErr(err);
        }
        return new Run(status, stdout.toString(StandardCharsets.ISO_8859_1), stderr.toString(StandardCharsets.UTF_8));
    }

    private Run verify(String message) {
        return run(message, "arc", "verify", "--dns-zone", zone.toString());
    }

    private Run sign(String message) {
        return run(message, "arc", "sign", "--domain", "fwd.example", "--selector", "arc", "--key", key.toString(),
                "--authserv-id", "mx.fwd.example", "--dns-zone", zone.toString());
    }

    @Test
    void unsealedMessage_isNone_exitZero() {
        Run none = verify(MESSAGE);
        assertEquals(0, none.status(), none.err());
        assertEquals("arc=none (no ARC sets)\n", none.out());
    }

    @Test
    void sealWithOurResults_thenVerify_passes() {
        String withResults = "Authentication-Results: other.example; dmarc=fail\n"
                + "Authentication-Results: mx.fwd.example;\n spf=pass smtp.mailfrom=origin.example\n" + MESSAGE;
        Run sealed = sign(withResults);
        assertEquals(0, sealed.status(), sealed.err());
        assertTrue(sealed.out().startsWith("ARC-Seal: i=1; a=rsa-sha256; cv=none; d=fwd.example; s=arc;"), sealed.out());
        assertFalse(sealed.out().contains("\r\n"), "LF in, LF out");
        assertTrue(sealed.out().contains("ARC-Authentication-Results: i=1; mx.fwd.example; spf=pass smtp.mailfrom=origin.example\n"),
                sealed.out());
        Run verified = verify(sealed.out());
        assertEquals(0, verified.status(), verified.err());
        assertEquals("arc=pass (1 set, newest sealed by fwd.example; oldest-pass=0)", verified.out().lines().findFirst().orElse(""));
        assertTrue(verified.out().contains("set i=1 cv=none seal=fwd.example/arc (pass, key INSECURE) ams=fwd.example/arc (pass, key INSECURE)"
                + " aar=mx.fwd.example; spf=pass smtp.mailfrom=origin.example"), verified.out());
    }

    @Test
    void withoutOurResults_thePayloadIsTheValidationAlone_andSaysSo() {
        Run sealed = sign(MESSAGE);
        assertEquals(0, sealed.status(), sealed.err());
        assertTrue(sealed.out().contains("ARC-Authentication-Results: i=1; mx.fwd.example; arc=none\n"), sealed.out());
        assertTrue(sealed.err().contains("has no Authentication-Results field with authserv-id mx.fwd.example"), sealed.err());
    }

    @Test
    void changedAfterSealing_failsWithExitOne() {
        Run sealed = sign(MESSAGE);
        Run verified = verify(sealed.out() + "added\n");
        assertEquals(1, verified.status());
        assertTrue(verified.out().startsWith("arc=fail (ARC-Message-Signature i=1 (d=fwd.example s=arc): body hash did not verify)"),
                verified.out());
    }

    @Test
    void usageErrors_exitTwo() {
        assertEquals(2, verify("").status());
        Run noKey = run(MESSAGE, "arc", "sign", "--domain", "fwd.example", "--selector", "arc", "--key",
                dir.resolve("missing.pem").toString(), "--authserv-id", "mx.fwd.example", "--dns-zone", zone.toString());
        assertEquals(2, noKey.status());
        assertTrue(noKey.err().contains("missing.pem: no such key file (make one with sealpost dkim keygen)"), noKey.err());
        Run noId = run(MESSAGE, "arc", "sign", "--domain", "fwd.example", "--selector", "arc", "--key", key.toString());
        assertEquals(2, noId.status());
        Run noFrom = sign("Subject: x\n\nbody\n");
        assertEquals(2, noFrom.status());
        assertTrue(noFrom.err().contains("no From field"), noFrom.err());
    }

    @Test
    void chainEndedByCvFail_isNotSealedAgain_exitTwo() {
        Run failed = sign(sign(MESSAGE).out() + "added\n");
        assertEquals(0, failed.status(), failed.err());
        assertTrue(failed.out().startsWith("ARC-Seal: i=2; a=rsa-sha256; cv=fail;"), failed.out());
        Run again = sign(failed.out());
        assertEquals(2, again.status());
        assertTrue(again.err().contains("the newest ARC-Seal (i=2) already says cv=fail, and RFC 8617 5.1 step 1 stops there"),
                again.err());
    }
}
