package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * dkimpy's test data (shared/vectors/dkim/dkimpy): its signed messages verify, every key file signs
 * messages that verify against the matching public record, and its bad key records are refused.
 */
class DkimpyVectorsTest {

    private static final String BRISBANE = "brisbane._domainkey.football.example.com";
    private static final String TEST = "test._domainkey.football.example.com";

    private static Path set() {
        return Vectors.set("dkimpy");
    }

    private static String read(String name) throws Exception {
        return Files.readString(set().resolve(name)).strip();
    }

    private static FakeDns footballDns() throws Exception {
        String brisbane = DkimKeys.txtRecord(KeyType.ED25519,
                DkimKeys.publicKey(DkimKeys.readPrivateKey(read("rfc8032_7_1.key"))));
        return new FakeDns().txt(BRISBANE, brisbane).txt(TEST, read("test.txt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signedMessages")
    void dkimpySignedMessage_everySignaturePasses(String file, int signatures) throws Exception {
        List<DkimResult> results = Vectors.verify(new DkimVerifier(footballDns()),
                Vectors.crlf(Vectors.read(set().resolve(file))));
        assertEquals(signatures, results.size());
        results.forEach(r -> assertEquals(Verdict.PASS, r.verdict(), r::toString));
    }

    static Stream<Arguments> signedMessages() {
        return Stream.of(Arguments.of("rfc6376.signed.msg", 2), Arguments.of("rfc6376.signed.rsa.msg", 1));
    }

    @Test
    void eximSignedEd25519Message_passes() throws Exception {
        FakeDns dns = new FakeDns().txt("sed._domainkey.test.ex", read("eximtest.dns"));
        List<DkimResult> results = Vectors.verify(new DkimVerifier(dns), Vectors.crlf(Vectors.read(set().resolve("ed25519test2.msg"))));
        assertEquals(Verdict.PASS, results.get(0).verdict(), results.get(0)::toString);
    }

    @Test
    void signatureWithCommentInDomain_isPermerror() throws Exception {
        List<DkimResult> results = Vectors.verify(new DkimVerifier(footballDns()),
                Vectors.crlf(Vectors.read(set().resolve("test.message.baddomain"))));
        assertEquals(Verdict.PERMERROR, results.get(0).verdict());
        assertTrue(results.get(0).reason().contains("not a domain name"), results.get(0)::reason);
    }

    @ParameterizedTest(name = "{0} verifies with {1}")
    @MethodSource("keyPairs")
    void keyFile_signsWhatItsPublicRecordVerifies(String privateFile, String publicFile) throws Exception {
        SigningKey key = SigningKey.fromPem("example.com", "test", read(privateFile));
        FakeDns dns = new FakeDns().txt("test._domainkey.example.com", read(publicFile));
        byte[] message = Vectors.crlf(Vectors.read(set().resolve("test.message")));
        byte[] signed = Signed.join(new DkimSigner(key).sign(message), message);
        assertEquals(Verdict.PASS, Vectors.verify(new DkimVerifier(dns), signed).get(0).verdict());
    }

    static Stream<Arguments> keyPairs() {
        return Stream.of(
                Arguments.of("test.private", "test.txt"),
                Arguments.of("test2.private", "test2.txt"),
                Arguments.of("1024_testkey.key", "1024_testkey_wo_markers.pub.txt"),
                Arguments.of("1024_testkey.key", "1024_testkey_wo_markers.pub.rsa.txt"),
                Arguments.of("2048_testkey.key", "2048_testkey_wo_markers.pub.txt"),
                Arguments.of("2048_testkey.key", "2048_testkey_wo_markers.pub.rsa.txt"),
                Arguments.of("2048_testkey_PKCS8.key", "2048_testkey_PKCS8.key.pub.txt"),
                Arguments.of("ed25519test.key", "ed25519test.dns"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badRecords")
    void badKeyRecord_isPermerror(String recordFile, String reason) throws Exception {
        SigningKey key = SigningKey.fromPem("example.com", "test", read("test.private"));
        FakeDns dns = new FakeDns().txt("test._domainkey.example.com", read(recordFile));
        byte[] message = Vectors.crlf(Vectors.read(set().resolve("test.message")));
        DkimResult result = Vectors.verify(new DkimVerifier(dns), Signed.join(new DkimSigner(key).sign(message), message))
                .get(0);
        assertEquals(Verdict.PERMERROR, result.verdict());
        assertTrue(result.reason().contains(reason), result::reason);
    }

    static Stream<Arguments> badRecords() {
        return Stream.of(
                Arguments.of("badk.txt", "unsupported key type k=ed25519-sha256"),
                Arguments.of("badversion.txt", "unsupported key record version"),
                Arguments.of("test_bad.txt", "not a valid rsa public key"),
                Arguments.of("test_tlsrpt.txt", "service type s=tlsrpt"));
    }

    @Test
    void messageWithoutFrom_isNotSigned() throws Exception {
        SigningKey key = SigningKey.fromPem("example.com", "test", read("test.private"));
        byte[] message = Vectors.crlf(Vectors.read(set().resolve("test_nofrom.message")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DkimSigner(key).sign(message));
        assertTrue(e.getMessage().contains("no From"), e::getMessage);
    }

    @Test
    void signature_survivesAddedAndRemovedUnsignedFields() throws Exception {
        SigningKey key = SigningKey.fromPem("example.com", "test", read("test.private"));
        FakeDns dns = new FakeDns().txt("test._domainkey.example.com", read("test.txt"));
        String signature = new DkimSigner(key).sign(Vectors.crlf(Vectors.read(set().resolve("test.message"))));
        byte[] other = Vectors.crlf(Vectors.read(set().resolve("test_extra.message")));
        assertEquals(Verdict.PASS, Vectors.verify(new DkimVerifier(dns), Signed.join(signature, other)).get(0).verdict());
    }

    @Test
    void eightBitHeaders_signAndVerify_andAChangedOctetFails() throws Exception {
        SigningKey key = SigningKey.fromPem("example.com", "test", read("2048_testkey.key"));
        FakeDns dns = new FakeDns().txt("test._domainkey.example.com", read("2048_testkey_wo_markers.pub.txt"));
        byte[] message = Vectors.crlf(Vectors.read(set().resolve("rfc6376.w1258.msg")));
        byte[] signed = Signed.join(new DkimSigner(key).sign(message), message);
        assertEquals(Verdict.PASS, Vectors.verify(new DkimVerifier(dns), signed).get(0).verdict());
        String text = Signed.text(signed);
        int eight = text.indexOf("\r\nFrom: ");
        while (text.charAt(eight) < 0x80) {
            eight++;
        }
        assertTrue(eight < text.indexOf("\r\nTo: "), "the vector's From has an 8-bit octet");
        byte[] changed = Signed.bytes(text.substring(0, eight) + (char) (text.charAt(eight) ^ 1) + text.substring(eight + 1));
        assertEquals(Verdict.FAIL, Vectors.verify(new DkimVerifier(dns), changed).get(0).verdict());
    }
}
