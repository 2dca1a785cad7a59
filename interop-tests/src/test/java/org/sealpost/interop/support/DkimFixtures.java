package org.sealpost.interop.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The messages under src/test/resources/dkim/ (NN-name.eml, kept with LF line ends), in the CRLF
 * form they have on the wire, and what the tests do to them.
 */
public final class DkimFixtures {

    /** The fixtures' names, in order. */
    public static final List<String> NAMES = List.of("01-folded-repeated-headers", "02-trailing-whitespace",
            "03-empty-body", "04-8bit-utf8", "05-long-line", "06-many-headers");

    private DkimFixtures() {
    }

    /** The fixture with CRLF line ends. */
    public static byte[] crlf(String name) {
        try (InputStream in = DkimFixtures.class.getResourceAsStream("/dkim/" + name + ".eml")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture src/test/resources/dkim/" + name + ".eml");
            }
            return toCrlf(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every LF not preceded by CR gets one. */
    public static byte[] toCrlf(byte[] message) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(message.length + 64);
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '\n' && (i == 0 || message[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(message[i]);
        }
        return out.toByteArray();
    }

    /** The message with a line added at the end of its body: the body hash no longer matches. */
    public static byte[] appendToBody(byte[] message) {
        byte[] extra = "An added line.\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(message, message.length + extra.length);
        System.arraycopy(extra, 0, out, message.length, extra.length);
        return out;
    }

    /** The message with its first Subject field's value changed: the header hash no longer matches. */
    public static byte[] changeSubject(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\r\nSubject:");
        if (at < 0) {
            throw new IllegalArgumentException("the message has no Subject field to change");
        }
        int value = at + "\r\nSubject:".length();
        return (text.substring(0, value) + " Forged:" + text.substring(value)).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Splits a key record into character-strings of at most 255 octets, as a zone file wants them. */
    public static String zoneStrings(String record) {
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < record.length(); i += 255) {
            strings.add("\"" + record.substring(i, Math.min(record.length(), i + 255)) + "\"");
        }
        return "( " + String.join(" ", strings) + " )";
    }

    /** `sealpost dkim verify` passed the one signature of d=DOMAIN s=SELECTOR with the key SECURE. */
    public static void assertSealpostPass(ShortProcess.Result verified, String domain, String selector, String algorithm) {
        org.junit.jupiter.api.Assertions.assertEquals(0, verified.status(), verified.describe());
        org.junit.jupiter.api.Assertions.assertTrue(java.util.regex.Pattern.compile("dkim=pass header\\.d="
                + java.util.regex.Pattern.quote(domain) + " header\\.s=" + selector + " header\\.a=" + algorithm
                + " header\\.b=\\S+ \\(key SECURE\\)\n").matcher(verified.out()).matches(), verified.describe());
    }

    /** `sealpost dkim verify` failed that signature for {@code reason}, the key still SECURE. */
    public static void assertSealpostFail(ShortProcess.Result verified, String domain, String selector, String algorithm,
            String reason) {
        org.junit.jupiter.api.Assertions.assertEquals(1, verified.status(), verified.describe());
        org.junit.jupiter.api.Assertions.assertTrue(verified.out().startsWith("dkim=fail header.d=" + domain + " header.s="
                + selector + " header.a=" + algorithm + " "), verified.describe());
        org.junit.jupiter.api.Assertions.assertTrue(verified.out().endsWith("(" + reason + "; key SECURE)\n"),
                verified.describe());
    }

    /** The message after a change a verifier must notice: a line added to the body, or another Subject. */
    public static byte[] changed(byte[] signed, String change) {
        return change.equals("body") ? appendToBody(signed) : changeSubject(signed);
    }
}
