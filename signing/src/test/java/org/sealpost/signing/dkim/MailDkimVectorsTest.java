package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Perl Mail::DKIM's corpus (shared/vectors/dkim/mail-dkim): in legacy mode every row must give the
 * upstream result; in the default mode a pass that relied on something RFC 8301 or RFC 6376 retired
 * (rsa-sha1, a key under 1024 bits, a pre-RFC signature without v=1) must become a permerror naming it,
 * and every other signature must come out exactly as in legacy mode.
 */
class MailDkimVectorsTest {

    static Stream<Arguments> rows() throws Exception {
        Path set = Vectors.root() == null ? null : Vectors.root().resolve("mail-dkim");
        if (set == null || !Files.exists(set.resolve("expected.tsv"))) {
            return Stream.of(Arguments.of("(vectors absent)", "", "", "", ""));
        }
        List<Arguments> rows = new ArrayList<>();
        for (String line : Files.readAllLines(set.resolve("expected.tsv"))) {
            String[] f = (line + "\t\t\t\t").split("\t", -1);
            if (!f[0].equals("file") && !f[0].isBlank()) {
                rows.add(Arguments.of(f[0], f[1], f[2], f[3], f[4]));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} expects {1} {4}")
    @MethodSource("rows")
    void corpusMessage_givesUpstreamResult(String file, String expected, String status, String protocol, String comment)
            throws Exception {
        Path set = Vectors.set("mail-dkim");
        if (protocol.equals("domainkeys")) {
            abort("DomainKeys (RFC 4870) is not DKIM; Sealpost does not verify DomainKey-Signature");
        }
        if (status.equals("skip")) {
            abort("skipped upstream too: a pre-RFC (ietf-00) draft signature without bh=");
        }
        FakeDns dns = FakeDns.fromLines(Files.readAllLines(set.resolve("FAKE_DNS.dat")));
        byte[] message = Vectors.crlf(Vectors.read(set.resolve("corpus").resolve(file)));

        List<DkimResult> legacy = Vectors.verify(new DkimVerifier(dns,
                VerifierOptions.defaults().withClock(Vectors.NOW).withLegacy(true)), message);
        assertEquals(expected, Vectors.overall(legacy), () -> file + " (legacy mode): " + legacy);

        List<DkimResult> strict = Vectors.verify(new DkimVerifier(dns, VerifierOptions.defaults().withClock(Vectors.NOW)),
                message);
        assertEquals(legacy.size(), strict.size());
        List<String> fields = signatureFields(new String(message, java.nio.charset.StandardCharsets.ISO_8859_1));
        for (int i = 0; i < legacy.size(); i++) {
            DkimResult old = legacy.get(i);
            DkimResult now = strict.get(i);
            boolean retired = retired(fields.get(i), dns);
            String context = file + " signature " + (i + 1) + ": legacy " + old + " / default " + now;
            boolean namesRetired = now.verdict() == Verdict.PERMERROR
                    && (now.reason().contains("RFC 8301") || now.reason().contains("v="));
            if (!retired) {
                assertEquals(old.verdict(), now.verdict(), context);
                assertEquals(old.reason(), now.reason(), context);
            } else if (old.passed()) {
                assertTrue(namesRetired, context);
            } else {
                assertFalse(now.passed(), context);
                assertTrue(namesRetired || old.verdict() == now.verdict() && old.reason().equals(now.reason()), context);
            }
        }
    }

    /** Whether the signature uses rsa-sha1, lacks v=1, or names an RSA key under 1024 bits. */
    private static boolean retired(String field, FakeDns dns) throws Exception {
        String unfolded = field.replaceAll("\r\n[ \t]", " ");
        String a = tag(unfolded, "a");
        String v = tag(unfolded, "v");
        if ("rsa-sha1".equals(a) || !"1".equals(v)) {
            return true;
        }
        String d = tag(unfolded, "d");
        String s = tag(unfolded, "s");
        if (d == null || s == null) {
            return false;
        }
        var answer = dns.txt(s + "._domainkey." + d).get();
        if (!answer.found() || !"rsa".equals(orRsa(tag(answer.records().get(0), "k")))) {
            return false;
        }
        String p = tag(answer.records().get(0), "p");
        try {
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(p.replaceAll("\\s", ""))));
            return key.getModulus().bitLength() < 1024;
        } catch (Exception unreadable) {
            return false;
        }
    }

    private static String orRsa(String k) {
        return k == null ? "rsa" : k;
    }

    private static String tag(String list, String name) {
        Matcher m = Pattern.compile("(?:^|[;:]|^DKIM-Signature:)\\s*" + name + "\\s*=\\s*([^;]*)").matcher(list);
        return m.find() ? m.group(1).strip() : null;
    }

    private static List<String> signatureFields(String message) {
        List<String> fields = new ArrayList<>();
        String header = message.split("\r\n\r\n", 2)[0];
        for (HeaderField f : MessageReader.split(header)) {
            if (f.is("DKIM-Signature")) {
                fields.add(f.raw());
            }
        }
        return fields;
    }
}
