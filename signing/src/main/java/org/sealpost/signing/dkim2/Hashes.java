package org.sealpost.signing.dkim2;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.sealpost.signing.dkim.BodyHash;
import org.sealpost.signing.dkim.Canonicalization;
import org.sealpost.signing.dkim.HeaderField;

/** The two hashes of a Message-Instance (-06 6): of the header fields, and of the body (streamed). */
final class Hashes {

    private Hashes() {
    }

    /**
     * -06 6.2: the signed fields (neither -06 4.1 nor DKIM2 fields) in their hash form, sorted by
     * lower-case name, fields of one name from the bottom up, hashed with {@code hash}.
     */
    static byte[] header(List<HeaderField> fields, String hash) {
        return digest(hash).digest(headerInput(fields));
    }

    static byte[] headerInput(List<HeaderField> fields) {
        List<HeaderField> signed = new ArrayList<>();
        for (HeaderField field : fields) {
            // MessageReader ends a header section that a body follows with an empty "field": no field at all.
            if (!field.raw().isEmpty() && !Dkim2Wire.isUnsigned(field.name()) && !Dkim2Wire.isDkim2(field.name())) {
                signed.add(field);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int k = signed.size() - 1; k >= 0; k--) {
            order.add(k); // bottom up, then a stable sort by name keeps that order within a name
        }
        order.sort(Comparator.comparing(k -> Canonicalization.asciiLower(signed.get(k).name())));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int k : order) {
            out.writeBytes(Dkim2Wire.hashForm(signed.get(k).raw()));
        }
        return out.toByteArray();
    }

    /** -06 6.1: the body as DKIM's simple canonicalization has it (trailing empty lines to one CRLF), streamed. */
    static BodyHash body(String hash) {
        return new BodyHash(Canonicalization.SIMPLE, Dkim2Wire.digestName(hash), -1);
    }

    static MessageDigest digest(String hash) {
        try {
            return MessageDigest.getInstance(Dkim2Wire.digestName(hash));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + hash, e);
        }
    }

    /**
     * -06 9.6: what a signature covers: the Message-Instances it names (m=1 up) and the signatures
     * before it (i=1 up), each in the signing form, then itself with every signature emptied.
     */
    static byte[] signingInput(List<MessageInstance> instances, List<Dkim2Signature> earlier, String self) {
        StringBuilder out = new StringBuilder();
        for (MessageInstance mi : instances) {
            out.append(Dkim2Wire.signingForm(mi.field().raw(), false));
        }
        for (Dkim2Signature sig : earlier) {
            out.append(Dkim2Wire.signingForm(sig.field().raw(), false));
        }
        out.append(Dkim2Wire.signingForm(self, true));
        return out.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
