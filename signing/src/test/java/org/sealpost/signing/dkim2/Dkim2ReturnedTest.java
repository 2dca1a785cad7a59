package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sealpost.dnssec.Outcome;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.FakeDns;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.SigningKey;

/**
 * -06 12.1.2: a report is taken as being about our message only when the message it returns carries
 * our newest signature, verified, over exactly the content returned, and the report comes from the
 * domain we sent it to; everything else fails, and reports without anything to check are none.
 */
class Dkim2ReturnedTest {

    private static final GeneratedKey OURS = key();
    private static final GeneratedKey IMPOSTOR = key();
    private static final String ORIGINAL = "From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: Plans\r\n"
            + "Message-ID: <1@example.org>\r\n\r\nSee you at noon.\r\n\r\n-- \r\nAlice\r\n";
    private static final String KEY_NAME = "s1._domainkey.example.org";

    private static GeneratedKey key() {
        try {
            return DkimKeys.generate(KeyType.ED25519, 0);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** What we sent: our chain's first hop, from example.org to bob@example.net. */
    private static String sent(GeneratedKey key) throws Exception {
        Dkim2Signer signer = new Dkim2Signer(java.util.List.of(Dkim2Key.of(new SigningKey("example.org", "s1",
                KeyType.ED25519, key.privateKey()))));
        return signer.sign(ORIGINAL.getBytes(StandardCharsets.US_ASCII),
                Dkim2SignOptions.forEnvelope(Dkim2Envelope.of("alice@example.org", "bob@example.net"))) + ORIGINAL;
    }

    private static String report(String type, String returned) {
        return "From: MAILER-DAEMON@mx.example.net\r\nTo: alice@example.org\r\nSubject: Undelivered Mail\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"r/1\"\r\n"
                + "\r\nThis is a MIME-encapsulated message.\r\n\r\n--r/1\r\nContent-Type: text/plain\r\n\r\nNo such user.\r\n"
                + "--r/1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n"
                + "Final-Recipient: rfc822; bob@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
                + "--r/1 \r\nContent-Type: " + type + "\r\n\r\n" + returned + "\r\n--r/1--\r\n";
    }

    private static Dkim2Returned.Outcome check(String report, Set<String> ours, String signer, FakeDns dns) {
        Dkim2Returned returned = new Dkim2Returned(1 << 20);
        byte[] octets = report.getBytes(StandardCharsets.ISO_8859_1);
        for (int at = 0; at < octets.length; at += 7) {
            returned.update(octets, at, Math.min(7, octets.length - at));
        }
        return returned.finish(dns, ours, signer).join();
    }

    private static Dkim2Returned.Outcome check(String report) {
        return check(report, Set.of("example.org"), "example.net", new FakeDns().txt(KEY_NAME, OURS.txtRecord()));
    }

    private static String headerOf(String message) {
        return message.substring(0, message.indexOf("\r\n\r\n") + 2);
    }

    @Test
    void ourMessageReturnedWhole_orItsHeaderSection_passes() throws Exception {
        String sent = sent(OURS);
        Dkim2Returned.Outcome whole = check(report("message/rfc822", sent));
        assertEquals(Dkim2Verdict.PASS, whole.verdict(), whole.reason());
        Dkim2Returned.Outcome headers = check(report("text/rfc822-headers", headerOf(sent)));
        assertEquals(Dkim2Verdict.PASS, headers.verdict(), headers.reason());
        assertTrue(headers.reason().contains("header section"), headers.reason());
    }

    @Test
    void alteredReturnedContent_fails() throws Exception {
        String sent = sent(OURS);
        Dkim2Returned.Outcome header = check(report("message/rfc822", sent.replace("Subject: Plans", "Subject: Plans!")));
        assertEquals(Dkim2Verdict.FAIL, header.verdict());
        assertTrue(header.reason().contains("header hash sha256 mismatch"), header.reason());
        Dkim2Returned.Outcome body = check(report("message/rfc822", sent.replace("noon", "ten")));
        assertEquals(Dkim2Verdict.FAIL, body.verdict());
        assertTrue(body.reason().contains("body hash sha256 mismatch"), body.reason());
    }

    @Test
    void aMessageWeNeverSigned_fails_evenWithHashesThatMatch() throws Exception {
        // Anyone can compute a Message-Instance; only our key makes the signature.
        Dkim2Returned.Outcome forged = check(report("message/rfc822", sent(IMPOSTOR)));
        assertEquals(Dkim2Verdict.FAIL, forged.verdict());
        assertTrue(forged.reason().contains("incorrect signature"), forged.reason());
    }

    @Test
    void anotherSystemsSignature_orAReportFromElsewhere_fails() throws Exception {
        String report = report("message/rfc822", sent(OURS));
        FakeDns dns = new FakeDns().txt(KEY_NAME, OURS.txtRecord());
        Dkim2Returned.Outcome notOurs = check(report, Set.of("example.com"), "example.net", dns);
        assertEquals(Dkim2Verdict.FAIL, notOurs.verdict());
        assertTrue(notOurs.reason().contains("was not made here"), notOurs.reason());
        Dkim2Returned.Outcome elsewhere = check(report, Set.of("example.org"), "elsewhere.example", dns);
        assertEquals(Dkim2Verdict.FAIL, elsewhere.verdict());
        assertTrue(elsewhere.reason().contains("not by a domain DKIM2-Signature i=1 sent to"), elsewhere.reason());
    }

    @Test
    void aKeyThatCannotBeFetched_isATemporaryError() throws Exception {
        Dkim2Returned.Outcome outcome = check(report("message/rfc822", sent(OURS)), Set.of("example.org"), "example.net",
                new FakeDns().fail(KEY_NAME, Outcome.SERVFAIL));
        assertEquals(Dkim2Verdict.TEMPERROR, outcome.verdict(), outcome.reason());
    }

    @Test
    void nothingToCheck_isNone() throws Exception {
        String sent = sent(OURS);
        FakeDns dns = new FakeDns().txt(KEY_NAME, OURS.txtRecord());
        assertEquals(Dkim2Verdict.NONE, check(report("message/rfc822", ORIGINAL)).verdict(), "no chain returned");
        assertEquals(Dkim2Verdict.NONE, check(sent).verdict(), "not a report");
        assertEquals(Dkim2Verdict.NONE, check(report("message/rfc822", sent), Set.of("example.org"), null, dns).verdict(),
                "a report without a chain of its own that verified");
        assertEquals(Dkim2Verdict.NONE, check(report("message/global\r\nContent-Transfer-Encoding: base64", sent))
                .verdict(), "an encoded original is not read");
        assertEquals(Dkim2Verdict.NONE, check(report("message/delivery-status", sent)).verdict(), "no returned part");
    }
}
