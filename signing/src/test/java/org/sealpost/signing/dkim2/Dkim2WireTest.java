package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sealpost.signing.dkim.HeaderField;

/** Parsing, writing and the canonical forms of {@link Dkim2Wire}: every error the parsers give. */
class Dkim2WireTest {

    private static final String H32 = b64(new byte[32]);
    private static final String SIG = b64(new byte[64]);
    private static final String MF = b64("<a@example.com>");
    private static final String RT = b64("<b@example.net>");
    private static final String GOOD_SIG = "i=2; m=1; t=1700000000; mf=" + MF + "; rt=" + RT + "; d=example.com; s=ed:ed25519-sha256:" + SIG;
    private static final String GOOD_MI = "m=1; h=sha256:" + H32 + ":" + H32;

    static Stream<Arguments> signatureErrors() {
        return Stream.of(
                Arguments.of("m=1; t=1; mf=" + MF + "; rt=" + RT + "; d=example.com; s=ed:ed25519-sha256:" + SIG,
                        "DKIM2-Signature i=? tag=i missing"),
                Arguments.of(GOOD_SIG.replace("m=1; ", ""), "DKIM2-Signature i=2 tag=m missing"),
                Arguments.of(GOOD_SIG.replace("t=1700000000; ", ""), "DKIM2-Signature i=2 tag=t missing"),
                Arguments.of(GOOD_SIG.replace("d=example.com; ", ""), "DKIM2-Signature i=2 tag=d missing"),
                Arguments.of(GOOD_SIG.replace("; s=ed:ed25519-sha256:" + SIG, ""), "DKIM2-Signature i=2 tag=s missing"),
                Arguments.of(GOOD_SIG.replace("rt=" + RT + "; ", ""), "DKIM2-Signature i=2 tag=rt missing"),
                Arguments.of(GOOD_SIG.replace("mf=" + MF + "; rt=" + RT + "; ", ""),
                        "DKIM2-Signature i=2 tag=mf missing (neither mf= and rt= nor nd=)"),
                Arguments.of(GOOD_SIG + "; nd=example.org", "DKIM2-Signature i=2 tag=mf was unexpected (nd= is present)"),
                Arguments.of(GOOD_SIG.replace("mf=" + MF + "; ", "") + "; nd=example.org",
                        "DKIM2-Signature i=2 tag=rt was unexpected (nd= is present)"),
                Arguments.of(GOOD_SIG + "; I=3", "DKIM2-Signature i=2 syntax error: tag=i appears more than once"),
                Arguments.of(GOOD_SIG + "; d=example.org", "DKIM2-Signature i=2 syntax error: tag=d appears more than once"),
                Arguments.of(GOOD_SIG.replace("i=2", "i=0"), "DKIM2-Signature i=0 syntax error: i=0 (numbering starts at 1)"),
                Arguments.of(GOOD_SIG.replace("i=2", "i=x"), "DKIM2-Signature i=? syntax error: i=x is not a number of 1 to 9 digits"),
                Arguments.of(GOOD_SIG.replace("t=1700000000", "t=1234567890123456"),
                        "DKIM2-Signature i=2 syntax error: t=1234567890123456 is not a number of 1 to 15 digits"),
                Arguments.of(GOOD_SIG.replace("d=example.com", "d=exa mple.com"),
                        "DKIM2-Signature i=2 syntax error: d=exa?mple.com is not a domain"),
                Arguments.of(GOOD_SIG.replace("mf=" + MF + "; rt=" + RT + "; ", "") + "; nd=-bad.example",
                        "DKIM2-Signature i=2 syntax error: nd=-bad.example is not a domain"),
                Arguments.of(GOOD_SIG.replace(MF, MF.substring(0, MF.length() - 2)),
                        "DKIM2-Signature i=2 syntax error: mf= is not padded base64 with zero padding bits"),
                Arguments.of(GOOD_SIG.replace(MF, "!!!!"), "DKIM2-Signature i=2 syntax error: mf= is not valid base64"),
                Arguments.of(GOOD_SIG.replace(MF, b64("a@example.com")),
                        "DKIM2-Signature i=2 syntax error: mf= is not a reverse-path: a@example.com"),
                Arguments.of(GOOD_SIG.replace(RT, b64("<>")),
                        "DKIM2-Signature i=2 syntax error: rt= holds a value that is not a forward-path: <>"),
                Arguments.of(GOOD_SIG.replace("rt=" + RT, "rt=" + RT + ","), "DKIM2-Signature i=2 syntax error: rt= is empty"),
                Arguments.of(GOOD_SIG + "; n=" + "x".repeat(65), "DKIM2-Signature i=2 syntax error: n= is longer than 64 characters"),
                Arguments.of(GOOD_SIG + "; n=a b", "DKIM2-Signature i=2 syntax error: n= holds whitespace"),
                Arguments.of(GOOD_SIG + ",ed:rsa-sha256:" + SIG, "DKIM2-Signature i=2 has a duplicate selector ed"),
                Arguments.of(GOOD_SIG + ",ED:rsa-sha256:" + SIG, "DKIM2-Signature i=2 has a duplicate selector ED"),
                Arguments.of(GOOD_SIG + ",e2:ed25519-sha256:" + SIG + ",e3:ed25519-sha256:" + SIG,
                        "DKIM2-Signature i=2 has more selectors than allowed for ed25519-sha256"),
                Arguments.of(GOOD_SIG + ",a:x:A===,b:x:A===,c:x:A===,d:x:A===,e:x:A===,f:x:A===,g:x:A===,h:x:A===",
                        "DKIM2-Signature i=2 has more selectors than allowed (9)"),
                Arguments.of(GOOD_SIG.replace("s=ed:ed25519-sha256:", "s=ed:ed25519-sha256"),
                        "DKIM2-Signature i=2 syntax error: s= sig-set \"ed:ed25519-sha256" + SIG.substring(0, 23)
                                + "...\" is not selector:algorithm:signature"),
                Arguments.of(GOOD_SIG.replace("s=ed:", "s=e!d:"), "DKIM2-Signature i=2 syntax error: s= selector \"e!d\""),
                Arguments.of(GOOD_SIG.replace("ed25519-sha256", "ed25519/sha256"),
                        "DKIM2-Signature i=2 syntax error: s= algorithm \"ed25519/sha256\""),
                Arguments.of(GOOD_SIG.replace(SIG, ""), "DKIM2-Signature i=2 syntax error: s= ed signature is empty"),
                Arguments.of(GOOD_SIG + "; f=donotmodify,do+not", "DKIM2-Signature i=2 syntax error: f= flag \"do+not\""),
                Arguments.of(GOOD_SIG + ";; f=exploded", "DKIM2-Signature i=2 syntax error: empty tag at position 8"),
                Arguments.of(GOOD_SIG + "; f", "DKIM2-Signature i=2 syntax error: \"f\" has no '='"),
                Arguments.of(GOOD_SIG + "; 9f=x", "DKIM2-Signature i=2 syntax error: bad tag name \"9f\""),
                Arguments.of(GOOD_SIG + "; f=a\u0001", "DKIM2-Signature i=2 syntax error: tag=f holds a control character (0x1)"),
                Arguments.of(GOOD_SIG + "; f=\u00e9", "DKIM2-Signature i=2 syntax error: tag=f holds a character outside ASCII (0xe9)"),
                Arguments.of(GOOD_SIG + "; f=a\r\nb", "DKIM2-Signature i=2 syntax error: tag=f holds a control character (0xd)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("signatureErrors")
    void signatureError(String value, String expected) {
        Dkim2PermanentError e = assertThrows(Dkim2PermanentError.class,
                () -> Dkim2Wire.parseSignature(HeaderField.of("DKIM2-Signature: " + value)));
        assertEquals(expected, e.getMessage());
    }

    static Stream<Arguments> instanceErrors() {
        return Stream.of(
                Arguments.of("h=sha256:" + H32 + ":" + H32, "Message-Instance m=? tag=m missing"),
                Arguments.of("m=1", "Message-Instance m=1 tag=h missing"),
                Arguments.of("m=0; h=sha256:" + H32 + ":" + H32, "Message-Instance m=0 syntax error: m=0 (numbering starts at 1)"),
                Arguments.of(GOOD_MI + "; M=2", "Message-Instance m=1 syntax error: tag=m appears more than once"),
                Arguments.of(GOOD_MI + ",sha256:" + H32 + ":" + H32, "Message-Instance m=1 has a duplicate hash algorithm sha256"),
                Arguments.of("m=1; h=sha256:" + b64(new byte[31]) + ":" + H32,
                        "Message-Instance m=1 syntax error: h= sha256 hashes are not 32 octets"),
                Arguments.of("m=1; h=sha512:" + H32 + ":" + H32, "Message-Instance m=1 syntax error: h= sha512 hashes are not 64 octets"),
                Arguments.of("m=1; h=sha256:" + H32, "Message-Instance m=1 syntax error: h= hash-set \"sha256:"
                        + H32.substring(0, 33) + "...\" is not name:header-hash:body-hash"),
                Arguments.of("m=1; h=sha 256:" + H32 + ":" + H32, "Message-Instance m=1 syntax error: h= hash name \"sha?256\""),
                Arguments.of("m=1; h=sha256:" + H32.replace("=", "") + ":" + H32,
                        "Message-Instance m=1 syntax error: h= sha256 header hash is not padded base64 with zero padding bits"),
                Arguments.of("m=1; h=sha256:" + H32 + ":*" + H32.substring(1),
                        "Message-Instance m=1 syntax error: h= sha256 body hash is not valid base64"),
                Arguments.of("m=1; h=a:AA==:AA==,b:AA==:AA==,c:AA==:AA==,d:AA==:AA==,e:AA==:AA==",
                        "Message-Instance m=1 syntax error: h= has more than 4 hash-sets"),
                Arguments.of(GOOD_MI + "; r=e30", "Message-Instance m=1 syntax error: r= is not padded base64 with zero padding bits"),
                Arguments.of(GOOD_MI + "; r=", "Message-Instance m=1 syntax error: r= is empty"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("instanceErrors")
    void instanceError(String value, String expected) {
        Dkim2PermanentError e = assertThrows(Dkim2PermanentError.class,
                () -> Dkim2Wire.parseInstance(HeaderField.of("Message-Instance: " + value)));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void signature_isReadWithFoldingAndAnyTagCase_unknownTagsIgnored() throws Exception {
        Dkim2Signature sig = Dkim2Wire.parseSignature(HeaderField.of("DKIM2-Signature: I=2;\r\n\tM = 1 ; t=1700000000;"
                + " mf=" + MF.substring(0, 8) + "\r\n " + MF.substring(8) + "; rt=" + RT + ",\r\n\t" + b64("<c@example.org>")
                + "; d=Example.COM; s=ed : ed25519-sha256 :" + SIG + ", pq:mldsa44:" + SIG + "; n=q1;"
                + " f=feedback, newflag; zz=unknown value;"));

        assertEquals(2, sig.i());
        assertEquals(1, sig.m());
        assertEquals(Optional.of("<a@example.com>"), sig.mailFrom());
        assertEquals(List.of("<b@example.net>", "<c@example.org>"), sig.rcptTo());
        assertEquals("example.com", sig.domainLower());
        assertEquals(List.of("ed", "pq"), sig.sigSets().stream().map(SigSet::selector).toList());
        assertEquals(Dkim2Algorithm.MLDSA44, sig.sigSets().get(1).known());
        assertEquals(Optional.of("q1"), sig.nonce());
        assertEquals(List.of("feedback", "newflag"), sig.flags());
    }

    @Test
    void unknownAlgorithmAndHash_areKeptAndMarkedUnknown() throws Exception {
        Dkim2Signature sig = Dkim2Wire.parseSignature(HeaderField.of("DKIM2-Signature: " + GOOD_SIG + ",x:future-sig:AAAA"));
        MessageInstance mi = Dkim2Wire.parseInstance(HeaderField.of("Message-Instance: " + GOOD_MI + ",sha3:AAAA:AAAA"));

        assertEquals(null, sig.sigSets().get(1).known());
        assertFalse(mi.hashes().get(1).known());
        assertTrue(mi.hashes().get(0).known());
    }

    @Test
    void writtenFields_parseBackToTheSameValues() throws Exception {
        Dkim2Signature sig = new Dkim2Signature(7, 3, 1_700_000_123L, Optional.of("n-1"), Optional.of("<>"),
                List.of("<x@a.example>", "<y@b.example>"), Optional.empty(), "example.com",
                List.of(new SigSet("s1", Dkim2Wire.RSA_SHA256, new byte[256]), new SigSet("s2", Dkim2Wire.ED25519_SHA256, new byte[64])),
                List.of(Dkim2Wire.DONOTMODIFY, Dkim2Wire.FEEDBACK), null);
        String text = Dkim2Wire.formatSignature(sig);
        Dkim2Signature back = Dkim2Wire.parseSignature(HeaderField.of(text));

        assertEquals(sig.i(), back.i());
        assertEquals(sig.m(), back.m());
        assertEquals(sig.timestamp(), back.timestamp());
        assertEquals(sig.nonce(), back.nonce());
        assertEquals(sig.mailFrom(), back.mailFrom());
        assertEquals(sig.rcptTo(), back.rcptTo());
        assertEquals(sig.sigSets(), back.sigSets());
        assertEquals(sig.flags(), back.flags());
        assertTrue(text.lines().allMatch(l -> l.length() <= 998), text); // RFC 5322 2.1.1

        MessageInstance mi = Dkim2Wire.parseInstance(HeaderField.of(Dkim2Wire.formatInstance(4,
                List.of(new InstanceHash(Dkim2Wire.SHA512, new byte[64], new byte[64])), "{\"b\":null}")));
        assertEquals(4, mi.m());
        assertEquals(Optional.of("{\"b\":null}"), mi.recipe());
        assertArrayEquals(new byte[64], mi.hashes().get(0).bodyHash());
    }

    @Test
    void signingForm_lowercasesTheNameDeletesAllWhitespace_andEmptiesEverySignature() {
        String field = "DKIM2-Signature: i=1;\r\n\tm=1; S = ed : ed25519-sha256 : AB\r\n CD== ,\r\n\trsa:rsa-sha256:EF==;"
                + " d=Example.com";

        assertEquals("dkim2-signature:i=1;m=1;S=ed:ed25519-sha256:,rsa:rsa-sha256:;d=Example.com\r\n",
                Dkim2Wire.signingForm(field, true));
        assertEquals("message-instance:m=1;h=sha256:A:B\r\n",
                Dkim2Wire.signingForm("Message-Instance : m = 1;\r\n h=sha256:A:B", false));
    }

    @Test
    void headerHash_dropsUnsignedAndDkim2Fields_sortsByName_bottomUpWithinAName() {
        List<HeaderField> fields = Stream.of("Subject:  Hello   World ", "Received: x", "X-Spam: yes", "To: a@b",
                "Received-SPF: pass", "DKIM-Signature: v=1", "Message-Instance: m=1", "DKIM2-Signature: i=1",
                "to: second@b", "Authentication-Results: mx", "Return-Path: <a@b>", "Delivered-To: c@d", "From : A <a@b>",
                "Apparently-To: x", "Auto-Submitted: auto-generated", "VBR-Info: x", "X400-Trace: x", "ARC-Seal: i=1",
                "") // MessageReader's empty last "field" when a body follows: no field (croessner/dkim2's DSN vectors showed it)
                .map(HeaderField::of).toList();

        assertEquals("from:A <a@b>\r\nsubject:Hello World\r\nto:second@b\r\nto:a@b\r\n",
                new String(Hashes.headerInput(fields), StandardCharsets.ISO_8859_1));
    }

    @Test
    void unsignedFields_areThoseOfSection41() {
        for (String name : List.of("Apparently-To", "ARC-Authentication-Results", "ARC-Message-Signature", "ARC-Seal",
                "Authentication-Results", "Auto-Submitted", "Delivered-To", "DKIM-Signature", "DL-Expansion-History",
                "Original-Recipient", "Received", "Received-SPF", "Return-Path", "SIO-Label-History", "VBR-Info",
                "X-Anything", "X400-Received", "X400-Trace")) {
            assertTrue(Dkim2Wire.isUnsigned(name), name);
        }
        for (String name : List.of("From", "Subject", "Receiver", "X400", "Message-Instance", "List-Id")) {
            assertFalse(Dkim2Wire.isUnsigned(name), name);
        }
    }

    @Test
    void relaxedMatch_takesLabelsOffTheMailFromDomainOnly() {
        assertTrue(Dkim2Wire.relaxedMatch("bounce.Mail.Example.com", "example.COM"));
        assertTrue(Dkim2Wire.relaxedMatch("example.com", "example.com"));
        assertFalse(Dkim2Wire.relaxedMatch("example.com", "mail.example.com"));
        assertFalse(Dkim2Wire.relaxedMatch("badexample.com", "example.com"));
        assertFalse(Dkim2Wire.relaxedMatch("", "example.com"));
    }

    @Test
    void samePath_comparesDomainsWithoutCaseAndLocalPartsExactly() {
        assertTrue(Dkim2Wire.samePath("<Bob@Example.COM>", "Bob@example.com"));
        assertFalse(Dkim2Wire.samePath("<bob@example.com>", "<Bob@example.com>"));
        assertTrue(Dkim2Wire.samePath("<>", ""));
        assertFalse(Dkim2Wire.samePath("<>", "<a@b.example>"));
    }

    private static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
