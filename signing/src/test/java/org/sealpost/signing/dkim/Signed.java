package org.sealpost.signing.dkim;

import java.nio.charset.StandardCharsets;

/** Test helpers for signed messages. */
final class Signed {

    private Signed() {
    }

    /** The signature fields put on top of the message. */
    static byte[] join(String signatureFields, byte[] message) {
        byte[] head = signatureFields.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[head.length + message.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(message, 0, out, head.length, message.length);
        return out;
    }

    static String text(byte[] message) {
        return new String(message, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String message) {
        return message.getBytes(StandardCharsets.ISO_8859_1);
    }
}
