package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A message split into its header fields (each raw, folding and CRLFs kept) and its body octets
 * (RFC 5322 2.1: the first empty line ends the header section), to compare what was sent with what
 * arrived.
 */
record MessageParts(List<String> fields, byte[] body) {

    /** The header fields the hops add on the way: trace (RFC 5321 4.4), signatures, results, delivery. */
    static final Set<String> ADDED_ON_THE_WAY = Set.of("received", "return-path", "delivered-to", "x-original-to",
            "dkim-signature", "authentication-results", "arc-seal", "arc-message-signature",
            "arc-authentication-results", "dkim2-signature", "message-instance");

    static MessageParts of(byte[] message) {
        int end = -1;
        if (message.length >= 2 && message[0] == '\r' && message[1] == '\n') {
            end = 0;
        }
        for (int i = 0; end < 0 && i + 3 < message.length; i++) {
            if (message[i] == '\r' && message[i + 1] == '\n' && message[i + 2] == '\r' && message[i + 3] == '\n') {
                end = i + 2;
            }
        }
        int headerEnd = end < 0 ? message.length : end;
        String header = new String(message, 0, headerEnd, StandardCharsets.UTF_8);
        List<String> fields = new ArrayList<>();
        for (String line : header.split("(?<=\r\n)")) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && !fields.isEmpty()) {
                fields.set(fields.size() - 1, fields.get(fields.size() - 1) + line);
            } else {
                fields.add(line);
            }
        }
        int bodyStart = end < 0 ? message.length : end + 2;
        byte[] body = java.util.Arrays.copyOfRange(message, bodyStart, message.length);
        return new MessageParts(fields, body);
    }

    static String name(String field) {
        int colon = field.indexOf(':');
        return (colon < 0 ? field : field.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
    }

    /** The fields without those the hops add. */
    List<String> withoutAdded() {
        return fields.stream().filter(f -> !ADDED_ON_THE_WAY.contains(name(f))).toList();
    }

    /** The fields named {@code name}, raw. */
    List<String> all(String name) {
        return fields.stream().filter(f -> name(f).equals(name.toLowerCase(Locale.ROOT))).toList();
    }

    /** The unfolded value of the first field named {@code name}, or "". */
    String value(String name) {
        return all(name).stream().findFirst()
                .map(f -> f.substring(f.indexOf(':') + 1).replaceAll("\r\n[ \t]", " ").strip()).orElse("");
    }

    String bodySha256() {
        return sha256(body);
    }

    static String sha256(byte[] octets) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(octets));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every LF without its CR gets one: maildir files have LF line ends, the wire has CRLF. */
    static byte[] crlf(byte[] stored) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(stored.length + stored.length / 30);
        for (int i = 0; i < stored.length; i++) {
            if (stored[i] == '\n' && (i == 0 || stored[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(stored[i]);
        }
        return out.toByteArray();
    }

    /** The field that starts with {@code start}, its continuation lines joined. */
    static String unfolded(String message, String start) {
        int at = message.indexOf(start);
        assertTrue(at >= 0, "no '" + start + "' in:\n" + message);
        StringBuilder field = new StringBuilder();
        for (String line : message.substring(at).split("\n")) {
            if (field.length() > 0 && !(line.startsWith(" ") || line.startsWith("\t"))) {
                break;
            }
            field.append(line.strip()).append(' ');
        }
        return field.toString();
    }
}
