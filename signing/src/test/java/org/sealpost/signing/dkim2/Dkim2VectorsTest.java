package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.HeaderField;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.SigningKey;
import org.yaml.snakeyaml.Yaml;

/**
 * The croessner/dkim2 vectors for draft-ietf-dkim-dkim2-spec-06 and draft-ietf-dkim-dkim2-dns-00
 * (src/test/resources/dkim2/vectors, README there), each vector a case. Used: signing-golden (our
 * fields are written in upstream's layout, so its byte-exact digests test the writer and the -06 9.6
 * signing input), custody-crypto-golden (custody cases, the Ed25519 and RSA-8192 signatures over a
 * signing-input digest, RSA bounds), dns-golden (key records). Not used: the DSN sets
 * (received-dsn, dsn-propagation: -06 12 is not built here), and the sets for revisions 04 and 05
 * and draft-chuang-dkim2-dns-04, whose wire format differs from the revision followed.
 */
class Dkim2VectorsTest {

    private static final String DIR = "/dkim2/vectors/";
    private static final long T = 1_700_000_000L;
    private static final byte[] HEADER_HASH = filled(0x11, 32);
    private static final byte[] BODY_HASH = filled(0x22, 32);

    // ------------------------------------------------------------ signing-golden.json

    static Stream<Arguments> instances() {
        return list(signing(), "message_instances").stream().map(v -> Arguments.of(v.get("name"), v));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("instances")
    void instanceField_andSigningInput_matchUpstream(String name, Map<String, Object> vector) {
        int number = (Integer) vector.get("number");
        String recipe = (String) vector.get("recipe");
        String field = instance(number, recipe.isEmpty() ? null : recipe);
        assertEquals(vector.get("field_sha256"), sha256(field + "\r\n"), "Message-Instance field");

        List<MessageInstance> instances = new ArrayList<>();
        List<Dkim2Signature> earlier = new ArrayList<>();
        if (number > 1) {
            instances.add(parsed(instance(number - 1, null)));
            earlier.add(parsedSignature(Dkim2Wire.formatSignature(signature(number - 1, number - 1, "example.test", "",
                    List.of(Dkim2Wire.ED25519_SHA256), List.of(), 1, true))));
        }
        instances.add(parsed(field));
        String target = Dkim2Wire.formatSignature(signature(number, number, "example.test", "",
                List.of(Dkim2Wire.ED25519_SHA256), List.of(), 1, false));
        byte[] input = Hashes.signingInput(instances, earlier, target);
        assertEquals(vector.get("section_9_6_sha256"), sha256(new String(input, StandardCharsets.ISO_8859_1)), "-06 9.6 input");
    }

    static Stream<Arguments> signatures() {
        return list(signing(), "signature_fields").stream().map(v -> Arguments.of(v.get("name"), v));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signatures")
    @SuppressWarnings("unchecked")
    void signatureField_unsignedAndComplete_matchUpstream(String name, Map<String, Object> v) throws Exception {
        String nd = "next_domain".equals(v.get("form")) ? (String) v.get("next_domain") : "";
        Dkim2Signature unsigned = signature((Integer) v.get("sequence"), (Integer) v.get("instance_number"),
                (String) v.get("domain"), nd, (List<String>) v.get("algorithms"), (List<String>) v.get("flags"),
                (Integer) v.get("recipient_count"), false);
        Dkim2Signature complete = signature((Integer) v.get("sequence"), (Integer) v.get("instance_number"),
                (String) v.get("domain"), nd, (List<String>) v.get("algorithms"), (List<String>) v.get("flags"),
                (Integer) v.get("recipient_count"), true);
        String unsignedField = Dkim2Wire.formatSignature(unsigned);
        String completeField = Dkim2Wire.formatSignature(complete);

        assertEquals(v.get("unsigned_sha256"), sha256(unsignedField + "\r\n"), "unsigned field");
        assertEquals(v.get("complete_sha256"), sha256(completeField + "\r\n"), "complete field");
        // What a verifier rebuilds from the complete field is what the signer signed (-06 11.6 step 1).
        assertEquals(Dkim2Wire.signingForm(unsignedField, true), Dkim2Wire.signingForm(completeField, true));
        Dkim2Signature reparsed = parsedSignature(completeField);
        assertEquals(complete.sigSets(), reparsed.sigSets());
        assertEquals(complete.flags(), reparsed.flags());
    }

    static Stream<Arguments> insertions() {
        return list(signing(), "insertions").stream().map(v -> Arguments.of(v.get("name"), v));
    }

    /**
     * Upstream appends the new fields at the end of the header section; Sealpost's signer returns
     * them to be put on top. -06 leaves the place open, and the header hash (-06 6.2) sorts the
     * fields, so both places hash alike: the digest checks our field octets in upstream's place.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("insertions")
    void fieldsInserted_matchUpstream_andTheirPlaceDoesNotChangeTheHeaderHash(String name, Map<String, Object> v) {
        String fields = instance(1, null) + "\r\n" + Dkim2Wire.formatSignature(signature(1, 1, "example.test", "",
                List.of(Dkim2Wire.ED25519_SHA256), List.of(), 1, true)) + "\r\n";
        String inherited = (String) v.get("inherited_bytes");
        int end = inherited.indexOf("\r\n\r\n");
        String upstream = end < 0 ? inherited + fields : inherited.substring(0, end + 2) + fields + inherited.substring(end + 2);
        String ours = fields + inherited;

        assertEquals(v.get("output_sha256"), sha256(upstream));
        assertEquals(v.get("header_only"), end < 0);
        assertTrue(Arrays.equals(Hashes.headerInput(header(upstream)), Hashes.headerInput(header(ours))));
    }

    private static List<HeaderField> header(String message) {
        int end = message.indexOf("\r\n\r\n");
        String section = end < 0 ? message.substring(0, message.length() - 2) : message.substring(0, end);
        return Stream.of(section.split("\r\n(?![ \t])")).map(HeaderField::of).toList();
    }

    // ------------------------------------------------------------ custody-crypto-golden.json

    static Stream<Arguments> custodyCases() {
        return list(custody(), "custody_cases").stream().map(v -> Arguments.of(v.get("name"), v));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("custodyCases")
    @SuppressWarnings("unchecked")
    void custodyCase(String name, Map<String, Object> v) throws Exception {
        List<Dkim2Signature> chain = new ArrayList<>();
        for (Map<String, Object> s : (List<Map<String, Object>>) v.get("signatures")) {
            Optional<String> nd = Optional.ofNullable((String) s.get("next_domain"));
            Dkim2Signature sig = new Dkim2Signature((Integer) s.get("sequence"), (Integer) s.get("instance"), T,
                    Optional.empty(), nd.isPresent() ? Optional.empty() : Optional.of((String) s.get("mail_from")),
                    nd.isPresent() ? List.of() : (List<String>) s.get("recipients"), nd, (String) s.get("domain"),
                    List.of(new SigSet("ed", Dkim2Wire.ED25519_SHA256, filled(0x44, 64))), List.of(), null);
            chain.add(parsedSignature(Dkim2Wire.formatSignature(sig)));
        }
        String custody = Custody.chain(chain);
        Dkim2Signature newest = chain.get(chain.size() - 1);
        if (v.containsKey("want_error")) {
            assertNotNull(custody, "custody_mismatch expected");
            return;
        }
        assertNull(custody, custody);
        if ("terminal_next_domain".equals(v.get("want_status"))) {
            // -06 9.3, 11.4: an nd= on the newest hop needs out-of-band arrangements.
            assertEquals("DKIM2-Signature i=" + newest.i() + " unexpected nd= tag",
                    Custody.envelope(newest, Dkim2Envelope.of("x@y.example", "z@middle.example"), false));
            assertNull(Custody.envelope(newest, Dkim2Envelope.of("x@y.example", "z@middle.example"), true));
        } else {
            Dkim2Envelope envelope = new Dkim2Envelope(newest.mailFrom().orElseThrow(), newest.rcptTo());
            assertNull(Custody.envelope(newest, envelope, false));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void ed25519_signsTheSha256OfTheSigningInput() throws Exception {
        Map<String, Object> v = (Map<String, Object>) custody().get("ed25519_verify");
        Dkim2KeyRecord key = Dkim2KeyRecord.parse("v=DKIM1; k=ed25519; p=" + v.get("public_base64"));
        // -06 3.3: PureEdDSA over the SHA-256 hash of the -06 9.6 input, as Dkim2Algorithm.ED25519_SHA256 signs.
        Signature ed = Signature.getInstance("Ed25519");
        ed.initVerify(key.key());
        ed.update(b64(v.get("digest_base64")));

        assertTrue(key.fits(Dkim2Algorithm.ED25519_SHA256));
        assertTrue(ed.verify(b64(v.get("signature_base64"))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void rsa8192_pkcs1KeyRecord_verifiesPkcs1v15OverTheDigest() throws Exception {
        Map<String, Object> v = (Map<String, Object>) custody().get("rsa_8192_verify");
        Dkim2KeyRecord key = Dkim2KeyRecord.parse("k=rsa; p=" + v.get("public_der_base64"));
        // -06 3.2: RSASSA-PKCS1-v1_5 with SHA-256: the DigestInfo of the digest, signed raw.
        byte[] digestInfo = HexFormat.of().parseHex("3031300d060960864801650304020105000420");
        byte[] digest = b64(v.get("digest_base64"));
        Signature rsa = Signature.getInstance("NONEwithRSA");
        rsa.initVerify(key.key());
        rsa.update(digestInfo);
        rsa.update(digest);

        assertEquals(8192, key.bits());
        assertTrue(rsa.verify(b64(v.get("signature_base64"))));
    }

    static Stream<Arguments> rsaBoundaries() {
        return list(custody(), "rsa_boundaries").stream().map(v -> Arguments.of(v.get("name"), v));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rsaBoundaries")
    void rsaKeyBounds(String name, Map<String, Object> v) throws Exception {
        int bits = (Integer) v.get("bits");
        BigInteger modulus = BigInteger.ONE.shiftLeft(bits - 1).add(BigInteger.valueOf(0x10001 * 2 + 1));
        byte[] spki = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus,
                BigInteger.valueOf((Integer) v.get("exponent")))).getEncoded();
        String record = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(spki);

        if ((Boolean) v.get("valid")) {
            assertEquals(bits, Dkim2KeyRecord.parse(record).bits());
        } else {
            Dkim2PermanentError e = assertThrows(Dkim2PermanentError.class, () -> Dkim2KeyRecord.parse(record));
            assertTrue(e.getMessage().startsWith("has an RSA key"), e.getMessage());
        }
    }

    // ------------------------------------------------------------ dns-golden.json

    static Stream<Arguments> records() {
        return Stream.of(Arguments.of("rsa_default_txt", "rsa", false, false),
                Arguments.of("rsa_explicit_txt", "rsa", false, false),
                Arguments.of("ed25519_lowercase_txt", "ed25519", false, false),
                Arguments.of("rsa_testing_txt", "rsa", true, false),
                Arguments.of("rsa_strict_txt", "rsa", false, true),
                Arguments.of("rsa_testing_strict_txt", "rsa", true, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void keyRecord(String name, String keyType, boolean testing, boolean strict) throws Exception {
        Map<String, Object> v = dns();
        Dkim2KeyRecord record = Dkim2KeyRecord.parse((String) v.get(name));

        assertEquals(keyType, record.keyType());
        assertEquals(testing, record.testing());
        assertEquals(strict, record.strict());
        byte[] raw = keyType.equals("rsa") ? b64(v.get("rsa_pkcs1_der_base64")) : b64(v.get("ed25519_raw_base64"));
        byte[] encoded = record.key().getEncoded();
        assertTrue(Arrays.equals(raw, Arrays.copyOfRange(encoded, encoded.length - raw.length, encoded.length)),
                "the key read is the one published");
    }

    @Test
    @SuppressWarnings("unchecked")
    void keyOwnerNames() throws Exception {
        List<String> owners = (List<String>) dns().get("owners");
        java.security.PrivateKey key = DkimKeys.generate(KeyType.ED25519, 0).privateKey();

        assertEquals(owners.get(0), Dkim2Key.of(new SigningKey("example.test", "rsa.test", KeyType.ED25519, key)).keyName() + ".");
        assertEquals(owners.get(1), "ed.test" + Dkim2Wire.KEY_LABEL + "example.test.");
    }

    // ------------------------------------------------------------ helpers

    /** Upstream's fixed Message-Instance: hashes of 0x11 and 0x22, sha256, the recipe as given. */
    private static String instance(int m, String recipe) {
        return Dkim2Wire.formatInstance(m, List.of(new InstanceHash(Dkim2Wire.SHA256, HEADER_HASH, BODY_HASH)), recipe);
    }

    /** Upstream's fixed signature: t=1700000000, mf=&lt;sender@d&gt;, rt=&lt;recipienta@next.example&gt;..., selectors rsa/ed. */
    private static Dkim2Signature signature(int i, int m, String domain, String nd, List<String> algorithms,
            List<String> flags, int recipients, boolean complete) {
        List<SigSet> sets = new ArrayList<>();
        for (String algorithm : algorithms) {
            boolean rsa = algorithm.equals(Dkim2Wire.RSA_SHA256);
            sets.add(new SigSet(rsa ? "rsa" : "ed", algorithm, complete ? filled(rsa ? 0x33 : 0x44, rsa ? 128 : 64) : new byte[0]));
        }
        List<String> rcpt = new ArrayList<>();
        for (int k = 0; k < recipients; k++) {
            rcpt.add("<recipient" + (char) ('a' + k) + "@next.example>");
        }
        boolean next = !nd.isEmpty();
        return new Dkim2Signature(i, m, T, Optional.empty(), next ? Optional.empty() : Optional.of("<sender@" + domain + ">"),
                next ? List.of() : rcpt, next ? Optional.of(nd) : Optional.empty(), domain, sets, flags, null);
    }

    private static MessageInstance parsed(String field) {
        try {
            return Dkim2Wire.parseInstance(HeaderField.of(field));
        } catch (Dkim2PermanentError e) {
            throw new AssertionError(e.getMessage() + " in " + field, e);
        }
    }

    private static Dkim2Signature parsedSignature(String field) {
        try {
            return Dkim2Wire.parseSignature(HeaderField.of(field));
        } catch (Dkim2PermanentError e) {
            throw new AssertionError(e.getMessage() + " in " + field, e);
        }
    }

    private static Map<String, Object> signing() {
        Map<String, Object> v = load("draft-ietf-dkim-dkim2-spec-06/signing-golden.json");
        assertEquals(Dkim2Wire.REVISION, v.get("draft"));
        return v;
    }

    private static Map<String, Object> custody() {
        Map<String, Object> v = load("draft-ietf-dkim-dkim2-spec-06/custody-crypto-golden.json");
        assertEquals(Dkim2Wire.REVISION, v.get("draft"));
        return v;
    }

    private static Map<String, Object> dns() {
        Map<String, Object> v = load("draft-ietf-dkim-dkim2-dns-00/dns-golden.json");
        assertEquals(Dkim2Wire.DNS_REVISION, v.get("dns_draft"));
        return v;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> corpus, String key) {
        return (List<Map<String, Object>>) corpus.get(key);
    }

    // JSON is YAML: snakeyaml (already a test dependency) reads the files.
    private static Map<String, Object> load(String name) {
        try (InputStream in = Dkim2VectorsTest.class.getResourceAsStream(DIR + name)) {
            assertNotNull(in, "missing vector file " + DIR + name);
            return new Yaml().load(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] b64(Object s) {
        return Base64.getDecoder().decode((String) s);
    }

    private static byte[] filled(int value, int length) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) value);
        return out;
    }
}
