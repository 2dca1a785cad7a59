package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the signer signs and how it writes the field. */
class DkimSignerTest {

    private static final String MESSAGE = "From: a@example.com\r\nTo: b@example.net\r\nTo: c@example.net\r\n"
            + "Bcc: hidden@example.net\r\nList-Id: <l.example.com>\r\nX-Other: 1\r\nSubject: s\r\n\r\nbody\r\n";

    private static List<String> h(SignerOptions options, String message) {
        return MessageSigning.signedHeaders(MessageReader.split(message.substring(0, message.indexOf("\r\n\r\n"))), options);
    }

    @Test
    void defaultList_signsPresentFieldsOversignsAndAddsListFields() {
        assertEquals(List.of("From", "From", "To", "To", "To", "Subject", "Subject", "Date", "List-Id"),
                h(SignerOptions.defaults(), MESSAGE));
    }

    @Test
    void bcc_isNeverSigned() {
        List<String> h = h(SignerOptions.defaults().withHeaders(List.of("From", "Bcc", "X-Other")), MESSAGE);
        assertEquals(List.of("From", "From", "X-Other"), h);
    }

    @Test
    void customList_withoutFrom_stillSignsFrom() {
        assertEquals(List.of("From", "Subject"), h(SignerOptions.defaults().withHeaders(List.of("Subject"))
                .withOversigned(Set.of()), MESSAGE));
    }

    @Test
    void foldedField_linesStayWithin76Columns() {
        byte[] bytes = Signed.bytes(MESSAGE);
        String fields = new DkimSigner(List.of(Keys.rsa(), Keys.ed25519()), SignerOptions.defaults()).sign(bytes);
        assertEquals(2, fields.split("\r\nDKIM-Signature:").length);
        for (String line : fields.split("\r\n")) {
            assertTrue(line.length() <= 76, () -> "too long: " + line);
        }
        assertTrue(fields.endsWith("\r\n"));
        assertTrue(fields.startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=rsa;"));
    }

    @Test
    void timestampAndIdentity_areWritten() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1700000000), ZoneOffset.UTC);
        MessageSigning signing = new DkimSigner(List.of(Keys.rsa()), SignerOptions.defaults().withClock(clock))
                .start("user;x@mail.example.com");
        signing.update(Signed.bytes(MESSAGE));
        String field = signing.finish().replace("\r\n ", " ");
        assertTrue(field.contains(" t=1700000000;"), field);
        assertTrue(field.contains(" i=user=3Bx@mail.example.com;"), field);
    }

    @Test
    void identityOutsideTheKeysDomain_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DkimSigner(Keys.rsa()).start("a@example.org"));
    }

    @Test
    void rsaKeyUnder1024Bits_isRefused() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(512);
        var key = g.generateKeyPair().getPrivate();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SigningKey.of("example.com", "s", key));
        assertTrue(e.getMessage().contains("RFC 8301"));
    }

    /**
     * Found by RoundTripFuzzTest: a List-* field whose name cannot be written in h= (RFC 5322 allows
     * ';' and '=' in field names, RFC 6376 3.2 tag values do not allow ';' or controls) went into
     * h= as it was, so the sender could add tags to our signature, here l=0, which leaves the body
     * unsigned (RFC 6376 8.2).
     */
    @Test
    void listFieldWithNameUnfitForTheHeaderList_isNotSigned() {
        byte[] message = Signed.bytes("From: a@example.com\r\nList-Id: <l.example.com>\r\nList-X;l=0;z=1: y\r\n"
                + "List-Bad\u0000: z\r\nSubject: s\r\n\r\nbody\r\n");
        String signature = new DkimSigner(Keys.ed25519()).sign(message);
        assertTrue(signature.contains("List-Id") && !signature.contains("List-X") && !signature.contains("List-Bad"),
                signature);
        DkimVerifier verifier = new DkimVerifier(Keys.dns());
        assertEquals(Verdict.PASS, Vectors.verify(verifier, Signed.join(signature, message)).get(0).verdict());
        byte[] otherBody = Signed.bytes(Signed.text(message).replace("body", "evil"));
        assertEquals(Verdict.FAIL, Vectors.verify(verifier, Signed.join(signature, otherBody)).get(0).verdict());
    }

    @Test
    void configuredHeaderNameUnfitForTheHeaderList_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> SignerOptions.defaults().withHeaders(List.of("From", "X;l=0")));
        assertThrows(IllegalArgumentException.class, () -> SignerOptions.defaults().withOversigned(Set.of("From:")));
    }

    /** Found by RoundTripFuzzTest: the first line folded into the signature field put on top of it. */
    @Test
    void headerStartingWithFoldedLine_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DkimSigner(Keys.ed25519()).sign(Signed.bytes("\tX: 1\r\nFrom: a@example.com\r\n\r\nbody\r\n")));
        assertTrue(e.getMessage().startsWith("cannot sign: the header section starts with a folded"), e.getMessage());
    }
}
