package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.Outcome;
import org.sealpost.dnssec.Security;
import org.sealpost.signing.dkim.FakeDns;
import org.sealpost.signing.dkim.HeaderField;

/**
 * A three-hop chain changed on the way: a header field, a body line, a tag of each hop's
 * DKIM2-Signature and Message-Instance, a hop removed, a gap; and the replay checks (-06 11.4, 11.9).
 */
class Dkim2TamperTest {

    private static final int HOPS = 3;
    private static final Dkim2Envelope LAST = Hops.envelope(HOPS, HOPS);
    private static String chain;
    private static final FakeDns DNS = Hops.dns(HOPS);

    private static String chain() throws Exception {
        if (chain == null) {
            chain = Hops.chain(HOPS, Hops.Keys.ED25519);
        }
        return chain;
    }

    @Test
    void untouched_passes() throws Exception {
        assertEquals(Dkim2Verdict.PASS, Hops.verify(chain(), LAST, DNS).verdict());
    }

    @Test
    void changedHeaderField_failsTheHeaderHash() throws Exception {
        Dkim2Result result = Hops.verify(chain().replace("Subject: Lunch", "Subject: Dinner"), LAST, DNS);

        assertEquals(Dkim2Verdict.FAIL, result.verdict());
        assertEquals("Message Instance m=1 header hash sha256 mismatch", result.reason());
    }

    @Test
    void addedSignedHeaderField_failsTheHeaderHash_butAnUnsignedOneDoesNot() throws Exception {
        assertEquals(Dkim2Verdict.FAIL, Hops.verify("Reply-To: evil@x.example\r\n" + chain(), LAST, DNS).verdict());
        assertEquals(Dkim2Verdict.PASS, Hops.verify("Received: by mx\r\nX-Spam: no\r\nAuthentication-Results: mx; none\r\n"
                + chain(), LAST, DNS).verdict());
    }

    @Test
    void changedBodyLine_failsTheBodyHash() throws Exception {
        Dkim2Result result = Hops.verify(chain().replace("at noon", "at one"), LAST, DNS);

        assertEquals(Dkim2Verdict.FAIL, result.verdict());
        assertEquals("Message Instance m=1 body hash sha256 mismatch", result.reason());
    }

    @Test
    void trailingEmptyLines_doNotCount_butAnAddedLineDoes() throws Exception {
        assertEquals(Dkim2Verdict.PASS, Hops.verify(chain() + "\r\n\r\n", LAST, DNS).verdict());
        assertEquals(Dkim2Verdict.FAIL, Hops.verify(chain() + "P.S.\r\n", LAST, DNS).verdict());
    }

    /** Each hop's DKIM2-Signature with one tag value changed. */
    static Stream<Arguments> signatureTags() {
        return IntStream.rangeClosed(1, HOPS).boxed().flatMap(i -> Stream.of(
                Arguments.of(i, "t", Dkim2Verdict.FAIL),
                Arguments.of(i, "n", Dkim2Verdict.FAIL),
                Arguments.of(i, "s", Dkim2Verdict.FAIL),
                Arguments.of(i, "d", Dkim2Verdict.PERMERROR),
                Arguments.of(i, "rt", Dkim2Verdict.PERMERROR),
                Arguments.of(i, "mf", Dkim2Verdict.PERMERROR)));
    }

    @ParameterizedTest(name = "i={0} {1}=")
    @MethodSource("signatureTags")
    void changedSignatureTag_doesNotPass(int i, String tag, Dkim2Verdict expected) throws Exception {
        String tampered = changeTag(chain(), Dkim2Wire.SIGNATURE_FIELD, "i=" + i + ";", tag);

        Dkim2Result result = Hops.verify(tampered, LAST, DNS);
        assertEquals(expected, result.verdict(), result::toString);
        assertNotEquals(Dkim2Verdict.PASS, result.hops().isEmpty() ? Dkim2Verdict.FAIL : result.hops().get(i - 1).verdict(),
                result::toString);
    }

    @Test
    void changedInstanceHashes_failTheHashAndEverySignature() throws Exception {
        String tampered = changeTag(chain(), Dkim2Wire.INSTANCE_FIELD, "m=1;", "h");

        Dkim2Result result = Hops.verify(tampered, LAST, DNS);
        assertEquals(Dkim2Verdict.FAIL, result.verdict());
        assertTrue(result.hops().stream().allMatch(h -> h.verdict() == Dkim2Verdict.FAIL), result::toString);
    }

    @Test
    void removedMiddleHop_isAGap() throws Exception {
        Dkim2Result result = Hops.verify(removeField(chain(), Dkim2Wire.SIGNATURE_FIELD + ": i=2;"), LAST, DNS);

        assertEquals(Dkim2Verdict.PERMERROR, result.verdict());
        assertEquals("DKIM2-Signature i=2 missing", result.reason());
    }

    @Test
    void removedNewestHop_failsTheEnvelopeOfThisTransaction() throws Exception {
        Dkim2Result result = Hops.verify(removeField(chain(), Dkim2Wire.SIGNATURE_FIELD + ": i=3;"), LAST, DNS);

        assertEquals(Dkim2Verdict.PERMERROR, result.verdict());
        assertEquals("DKIM2-Signature i=2 MAIL FROM <bounce@mail.hop3.example> did not match (mf=<bounce@mail.hop2.example>)",
                result.reason());
    }

    @Test
    void renumberedHop_isAGap() throws Exception {
        Dkim2Result result = Hops.verify(chain().replace(Dkim2Wire.SIGNATURE_FIELD + ": i=3;",
                Dkim2Wire.SIGNATURE_FIELD + ": i=4;"), LAST, DNS);

        assertEquals(Dkim2Verdict.PERMERROR, result.verdict());
        assertEquals("DKIM2-Signature i=3 missing", result.reason());
    }

    @Test
    void removedInstance_isMissing() throws Exception {
        Dkim2Result result = Hops.verify(removeField(chain(), Dkim2Wire.INSTANCE_FIELD + ": m=1;"), LAST, DNS);

        assertEquals(Dkim2Verdict.PERMERROR, result.verdict());
        assertEquals("Message-Instance m=1 missing", result.reason());
    }

    @Test
    void authenticationResults_namesEveryHopTheFailingOneAndTheReason() throws Exception {
        String tampered = changeTag(chain(), Dkim2Wire.SIGNATURE_FIELD, "i=2;", "s");

        assertEquals("dkim2=pass (i=1 hop1.example pass, i=2 hop2.example pass, i=3 hop3.example pass)"
                + " header.d=hop1.example", Hops.verify(chain(), LAST, DNS).toAuthenticationResults());
        assertEquals("dkim2=fail (i=1 hop1.example pass, i=2 hop2.example fail, i=3 hop3.example fail;"
                + " FAIL: DKIM2-Signature i=2 ed incorrect signature) header.d=hop1.example header.i=2",
                Hops.verify(tampered, LAST, DNS).toAuthenticationResults());
        assertEquals("dkim2=permerror (i=1 hop1.example pass, i=2 hop2.example pass, i=3 hop3.example permerror;"
                + " PERMERROR: DKIM2-Signature i=3 RCPT TO <x\\(y\\)@final.example> did not match) header.d=hop1.example"
                + " header.i=3", Hops.verify(chain(), Dkim2Envelope.of(LAST.mailFrom(), "x(y)@final.example"), DNS)
                .toAuthenticationResults());
        assertEquals("dkim2=none", Hops.verify(Hops.MESSAGE, LAST, DNS).toAuthenticationResults());
    }

    // ------------------------------------------------------------ replay (-06 11.4, 11.9)

    @Test
    void replayToAnotherRecipient_fails() throws Exception {
        Dkim2Result result = Hops.verify(chain(), Dkim2Envelope.of(LAST.mailFrom(), "someone.else@final.example"), DNS);

        assertEquals(Dkim2Verdict.PERMERROR, result.verdict());
        assertEquals("DKIM2-Signature i=3 RCPT TO <someone.else@final.example> did not match", result.reason());
    }

    @Test
    void replayWithAnotherMailFrom_fails() throws Exception {
        Dkim2Result result = Hops.verify(chain(), Dkim2Envelope.of("bounce@attacker.example", "user@final.example"), DNS);

        assertEquals(Dkim2Verdict.PERMERROR, result.verdict());
        assertTrue(result.reason().startsWith("DKIM2-Signature i=3 MAIL FROM <bounce@attacker.example> did not match"));
    }

    @Test
    void replayWithAnExtraRecipient_fails() throws Exception {
        Dkim2Envelope more = Dkim2Envelope.of(LAST.mailFrom(), "user@final.example", "victim@final.example");

        assertEquals(Dkim2Verdict.PERMERROR, Hops.verify(chain(), more, DNS).verdict());
    }

    @Test
    void envelopeDomainCase_doesNotMatter_butLocalPartCaseDoes() throws Exception {
        assertEquals(Dkim2Verdict.PASS, Hops.verify(chain(), Dkim2Envelope.of("bounce@MAIL.hop3.example",
                "user@Final.Example"), DNS).verdict());
        assertEquals(Dkim2Verdict.PERMERROR, Hops.verify(chain(), Dkim2Envelope.of(LAST.mailFrom(), "User@final.example"),
                DNS).verdict());
    }

    // ------------------------------------------------------------ keys and time

    @Test
    void absentKey_isPermerror_unreachableKey_isTemperror_bogusKey_isTemperror() throws Exception {
        FakeDns absent = Hops.dns(HOPS).fail("ed._domainkey.hop2.example", Outcome.NXDOMAIN);
        FakeDns down = Hops.dns(HOPS).fail("ed._domainkey.hop2.example", Outcome.SERVFAIL);
        FakeDns bogus = Hops.dns(HOPS).answer("ed._domainkey.hop2.example",
                DnsAnswer.failed(Outcome.FOUND, Security.BOGUS, "signature expired"));
        FakeDns two = Hops.dns(HOPS).txt("ed._domainkey.hop2.example", Hops.ED25519.txtRecord(), Hops.ED25519.txtRecord());
        FakeDns revoked = Hops.dns(HOPS).txt("ed._domainkey.hop2.example", "v=DKIM1; k=ed25519; p=");
        FakeDns rsa = Hops.dns(HOPS).txt("ed._domainkey.hop2.example", Hops.RSA.txtRecord());

        assertEquals("DKIM2-Signature i=2 public key ed._domainkey.hop2.example does not exist",
                Hops.verify(chain(), LAST, absent).reason());
        assertEquals(Dkim2Verdict.TEMPERROR, Hops.verify(chain(), LAST, down).verdict());
        assertEquals(Dkim2Verdict.TEMPERROR, Hops.verify(chain(), LAST, bogus).verdict());
        assertEquals("DKIM2-Signature i=2 public key ed._domainkey.hop2.example has multiple records",
                Hops.verify(chain(), LAST, two).reason());
        assertEquals("DKIM2-Signature i=2 public key ed._domainkey.hop2.example has been revoked",
                Hops.verify(chain(), LAST, revoked).reason());
        assertTrue(Hops.verify(chain(), LAST, rsa).reason().contains("algorithm mismatch"));
    }

    @Test
    void failureOutranksTemporaryError() throws Exception {
        FakeDns down = Hops.dns(HOPS).fail("ed._domainkey.hop2.example", Outcome.TIMEOUT);

        assertEquals(Dkim2Verdict.FAIL, Hops.verify(chain().replace("at noon", "at one"), LAST, down).verdict());
    }

    @Test
    void expiredOrFutureSignature_isPermerror() throws Exception {
        Dkim2VerifierOptions later = Dkim2VerifierOptions.defaults().withClock(java.time.Clock.offset(Hops.CLOCK,
                java.time.Duration.ofDays(15)));
        Dkim2VerifierOptions earlier = Dkim2VerifierOptions.defaults().withClock(java.time.Clock.offset(Hops.CLOCK,
                java.time.Duration.ofHours(-1)));

        assertEquals("DKIM2-Signature i=1 signature expired", Hops.verify(chain(), LAST, DNS, later).reason());
        assertTrue(Hops.verify(chain(), LAST, DNS, earlier).reason().endsWith("is in the future"));
    }

    // ------------------------------------------------------------ helpers

    /** Changes one character of {@code tag}'s value in the field that starts with {@code name: marker}. */
    static String changeTag(String message, String name, String marker, String tag) {
        List<HeaderField> fields = fields(message);
        StringBuilder out = new StringBuilder();
        for (HeaderField field : fields) {
            String raw = field.raw();
            if (field.is(name) && raw.startsWith(name + ": " + marker)) {
                raw = changeValue(raw, tag);
            }
            out.append(raw).append("\r\n");
        }
        return out + message.substring(message.indexOf("\r\n\r\n") + 2);
    }

    private static String changeValue(String raw, String tag) {
        if (tag.equals("n") && !raw.contains("\tn=")) {
            return raw.replace(";\r\n\td=", ";\r\n\tn=added;\r\n\td="); // n= added where there was none
        }
        Matcher m = Pattern.compile("(?<=[\\s;]" + tag + "=)[^;]+").matcher(raw);
        if (!m.find()) {
            throw new AssertionError("no " + tag + "= in " + raw);
        }
        String value = m.group();
        String changed = switch (tag) {
            case "d" -> "evil.example";
            case "t" -> Long.toString(Long.parseLong(value.strip()) - 1);
            case "mf" -> Dkim2Wire.base64("<bounce@mail.evil.example>".getBytes());
            case "rt" -> Dkim2Wire.base64("<other@final.example>".getBytes());
            default -> flip(value);
        };
        return raw.substring(0, m.start()) + changed + raw.substring(m.end());
    }

    // A different base64 character in the middle of the value, so that it still parses.
    private static String flip(String value) {
        int k = value.length() / 2;
        while (!Character.isLetterOrDigit(value.charAt(k))) {
            k++;
        }
        char c = value.charAt(k);
        return value.substring(0, k) + (c == 'A' ? 'B' : 'A') + value.substring(k + 1);
    }

    static String removeField(String message, String start) {
        StringBuilder out = new StringBuilder();
        for (HeaderField field : fields(message)) {
            if (!field.raw().startsWith(start)) {
                out.append(field.raw()).append("\r\n");
            }
        }
        return out + message.substring(message.indexOf("\r\n\r\n") + 2);
    }

    private static List<HeaderField> fields(String message) {
        String header = message.substring(0, message.indexOf("\r\n\r\n"));
        List<HeaderField> fields = new ArrayList<>();
        for (String raw : header.split("\r\n(?![ \t])")) {
            fields.add(HeaderField.of(raw));
        }
        return fields;
    }
}
