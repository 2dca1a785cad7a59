package org.sealpost.signing.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our signer against our verifier, on many generated messages (seeded, so a failure repeats): every
 * signature verifies; a change to a signed field or the body breaks it; a change elsewhere does not.
 */
class RoundTripTest {

    private static final String[] NAMES = {"From", "To", "Cc", "Subject", "Date", "Message-ID", "Received",
        "X-Mailer", "List-Id", "Reply-To", "Content-Type", "Bcc", "X-Spam"};

    @ParameterizedTest(name = "{0}")
    @EnumSource(Canonicalization.class)
    void rsaAndEd25519_bothPass(Canonicalization c) {
        byte[] message = Signed.bytes("From: a@example.com\r\nSubject: x\r\n\r\nbody  \r\n\r\n");
        SignerOptions options = SignerOptions.defaults().withCanonicalization(c, c);
        byte[] signed = Signed.join(new DkimSigner(List.of(Keys.rsa(), Keys.ed25519()), options).sign(message), message);
        List<DkimResult> results = Vectors.verify(new DkimVerifier(Keys.dns()), signed);
        assertEquals(List.of(Verdict.PASS, Verdict.PASS), results.stream().map(DkimResult::verdict).toList());
        assertEquals(List.of("rsa-sha256", "ed25519-sha256"), results.stream().map(DkimResult::algorithm).toList());
    }

    @Test
    void generatedMessages_verifyAndBreakOnlyWhenSignedPartsChange() {
        Random random = new Random(6376);
        DkimVerifier verifier = new DkimVerifier(Keys.dns());
        for (int round = 0; round < 150; round++) {
            Canonicalization header = Canonicalization.values()[random.nextInt(2)];
            Canonicalization body = Canonicalization.values()[random.nextInt(2)];
            SigningKey key = random.nextBoolean() ? Keys.rsa() : Keys.ed25519();
            List<String> fields = fields(random);
            byte[] bodyBytes = body(random);
            byte[] message = message(fields, bodyBytes);
            SignerOptions options = SignerOptions.defaults().withCanonicalization(header, body);
            String signature = new DkimSigner(List.of(key), options).sign(message);
            String context = "round " + round + " c=" + header.tag() + "/" + body.tag();

            assertEquals(Verdict.PASS, verdict(verifier, signature, message), context);

            // The body changed: one octet flipped to another non-whitespace octet.
            byte[] changedBody = bodyBytes.clone();
            int at = visibleOctet(changedBody, random);
            if (at >= 0) {
                changedBody[at] = (byte) (changedBody[at] == 'q' ? 'r' : 'q');
                assertEquals(Verdict.FAIL, verdict(verifier, signature, message(fields, changedBody)), context + " body");
            }
            // A signed field changed, or a new instance of an oversigned one added on top.
            List<String> changed = new ArrayList<>(fields);
            int subject = indexOf(changed, "Subject");
            changed.set(subject, changed.get(subject) + "!");
            assertEquals(Verdict.FAIL, verdict(verifier, signature, message(changed, bodyBytes)), context + " subject");
            List<String> added = new ArrayList<>(fields);
            added.add(0, "From: mallory@example.org");
            assertEquals(Verdict.FAIL, verdict(verifier, signature, message(added, bodyBytes)), context + " from");
            // Unsigned fields changed or added: still passes.
            List<String> unsigned = new ArrayList<>(fields);
            unsigned.add(0, "Received: from relay.example.net by mx.example.com");
            unsigned.add("X-Spam: " + random.nextInt());
            unsigned.replaceAll(f -> f.startsWith("Bcc:") ? "Bcc: someone-else@example.net" : f);
            assertEquals(Verdict.PASS, verdict(verifier, signature, message(unsigned, bodyBytes)), context + " unsigned");
        }
    }

    private static Verdict verdict(DkimVerifier verifier, String signature, byte[] message) {
        return Vectors.verify(verifier, Signed.join(signature, message)).get(0).verdict();
    }

    private static List<String> fields(Random random) {
        List<String> fields = new ArrayList<>();
        fields.add("From: " + word(random) + " <" + word(random) + "@example.com>");
        fields.add("Subject: " + text(random, 1 + random.nextInt(120)));
        int extra = random.nextInt(8);
        for (int i = 0; i < extra; i++) {
            String name = NAMES[1 + random.nextInt(NAMES.length - 1)];
            if (name.equals("Subject")) {
                continue;
            }
            fields.add(random.nextInt(fields.size() + 1), name + ":" + (random.nextBoolean() ? " " : "\t")
                    + text(random, random.nextInt(90)));
        }
        return fields;
    }

    /** Words with runs of spaces and tabs, folded now and then, sometimes 8-bit. */
    private static String text(Random random, int length) {
        StringBuilder out = new StringBuilder();
        while (out.length() < length) {
            out.append(word(random));
            int r = random.nextInt(10);
            out.append(r == 0 ? "\r\n\t" : r == 1 ? "\r\n " : r == 2 ? " \t " : r == 3 ? "\u00e9\u00fc" : " ");
        }
        return out.toString().trim();
    }

    private static String word(Random random) {
        StringBuilder w = new StringBuilder();
        int n = 1 + random.nextInt(8);
        for (int i = 0; i < n; i++) {
            w.append((char) ('a' + random.nextInt(26)));
        }
        return w.toString();
    }

    private static byte[] body(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int lines = random.nextInt(5) == 0 ? 0 : random.nextInt(30);
        for (int i = 0; i < lines; i++) {
            int kind = random.nextInt(8);
            String line = switch (kind) {
                case 0 -> "";
                case 1 -> " \t ";
                case 2 -> "x".repeat(1000 + random.nextInt(2000));
                default -> text(random, random.nextInt(100)).replace("\r\n", " ");
            };
            out.writeBytes(Signed.bytes(line));
            if (random.nextInt(4) == 0) {
                out.write(0x80 + random.nextInt(0x7f));
                out.writeBytes(Signed.bytes(random.nextBoolean() ? "  " : "\t"));
            }
            out.writeBytes(Signed.bytes("\r\n"));
        }
        int trailing = random.nextInt(4);
        for (int i = 0; i < trailing; i++) {
            out.writeBytes(Signed.bytes(random.nextBoolean() ? "\r\n" : " \r\n"));
        }
        return out.toByteArray();
    }

    private static byte[] message(List<String> fields, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String f : fields) {
            out.writeBytes(Signed.bytes(f + "\r\n"));
        }
        out.writeBytes(Signed.bytes("\r\n"));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static int visibleOctet(byte[] body, Random random) {
        List<Integer> visible = new ArrayList<>();
        for (int i = 0; i < body.length; i++) {
            if (body[i] > ' ' && body[i] != 0x7f) {
                visible.add(i);
            }
        }
        return visible.isEmpty() ? -1 : visible.get(random.nextInt(visible.size()));
    }

    private static int indexOf(List<String> fields, String name) {
        for (int i = fields.size() - 1; i >= 0; i--) {
            if (fields.get(i).startsWith(name + ":")) {
                return i;
            }
        }
        throw new AssertionError(name);
    }

}
