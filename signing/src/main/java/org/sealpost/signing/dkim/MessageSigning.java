package org.sealpost.signing.dkim;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The signing of one message: feed it with {@link #update} (CRLF line ends), then {@link #finish}
 * returns the DKIM-Signature fields to put on top of the message. The body is hashed as it comes;
 * only the header section is kept.
 */
public final class MessageSigning {

    private final List<SigningKey> keys;
    private final SignerOptions options;
    private final String identity;
    private final SignerInput input;

    MessageSigning(List<SigningKey> keys, SignerOptions options, String identity) {
        this.keys = keys;
        this.options = options;
        this.identity = identity;
        this.input = new SignerInput(options, "sign");
    }

    public void update(byte[] data, int offset, int length) {
        input.update(data, offset, length);
    }

    public void update(byte[] data) {
        update(data, 0, data.length);
    }

    public void update(ByteBuffer buffer) {
        input.update(buffer);
    }

    /**
     * The signature fields, one per key, each ending in CRLF.
     *
     * @throws IllegalArgumentException when the message cannot be signed (no From field, header too large,
     *     a first header line that starts with whitespace)
     */
    public String finish() {
        List<HeaderField> fields = input.finish();
        List<String> signed = signedHeaders(fields, options);
        BodyHash.Result hash = input.bodyHash();
        long now = options.clock().instant().getEpochSecond();
        StringBuilder out = new StringBuilder();
        for (SigningKey key : keys) {
            out.append(signatureField(key, fields, signed, hash, now)).append("\r\n");
        }
        return out.toString();
    }

    private String signatureField(SigningKey key, List<HeaderField> fields, List<String> signed, BodyHash.Result hash,
            long now) {
        Algorithm algorithm = key.type() == KeyType.RSA ? Algorithm.RSA_SHA256 : Algorithm.ED25519_SHA256;
        SignatureFolder folder = new SignatureFolder()
                .tag("v", "1")
                .tag("a", algorithm.tag)
                .tag("c", options.headerCanonicalization().tag() + "/" + options.bodyCanonicalization().tag())
                .tag("d", key.domain())
                .tag("s", key.selector());
        if (identity != null) {
            folder.tag("i", quotedPrintable(identity));
        }
        folder.tag("t", Long.toString(now));
        options.expiration().ifPresent(e -> folder.tag("x", Long.toString(now + e.getSeconds())));
        if (options.bodyLength()) {
            folder.tag("l", Long.toString(hash.canonicalLength()));
        }
        folder.headerList(signed).tag("bh", Base64.getEncoder().encodeToString(hash.digest()));
        String unsigned = folder.beforeSignature();
        byte[] data = HeaderHash.input(fields, signed, unsigned, options.headerCanonicalization());
        return folder.withSignature(Base64.getEncoder().encodeToString(sign(algorithm, key, data)));
    }

    private static byte[] sign(Algorithm algorithm, SigningKey key, byte[] data) {
        try {
            return algorithm.sign(key.privateKey(), data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with " + key.selector() + "._domainkey." + key.domain()
                    + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The h= list: each chosen name as often as it occurs, once more if oversigned; Bcc never
     * (RFC 6376 5.4). From must be present (RFC 6376 5.4, RFC 5322 3.6).
     */
    public static List<String> signedHeaders(List<HeaderField> fields, SignerOptions options) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, String> listFields = new LinkedHashMap<>();
        for (HeaderField field : fields) {
            String lower = Canonicalization.asciiLower(field.name());
            counts.merge(lower, 1, Integer::sum);
            // RFC 5322 allows ';' and controls in a field name that h= (an RFC 6376 3.2 tag value) cannot hold:
            // writing one would add tags of the sender's choosing to our signature and break it.
            if (lower.startsWith("list-") && fitsHeaderList(field.name())) {
                listFields.putIfAbsent(lower, field.name());
            }
        }
        if (!counts.containsKey("from")) {
            throw new IllegalArgumentException("cannot sign: the message has no From field (RFC 6376 5.4 requires signing it)");
        }
        List<String> names = new ArrayList<>(options.headers().isEmpty() ? SignerOptions.DEFAULT_HEADERS : options.headers());
        if (options.headers().isEmpty()) {
            names.addAll(listFields.values());
        }
        if (names.stream().noneMatch(n -> n.equalsIgnoreCase("From"))) {
            names.add(0, "From");
        }
        List<String> signed = new ArrayList<>();
        List<String> done = new ArrayList<>();
        for (String name : names) {
            String lower = Canonicalization.asciiLower(name);
            if (lower.equals("bcc") || done.contains(lower)) {
                continue;
            }
            done.add(lower);
            int times = counts.getOrDefault(lower, 0) + (options.oversigned().contains(name) ? 1 : 0);
            for (int i = 0; i < times; i++) {
                signed.add(name);
            }
        }
        return signed;
    }

    /** Whether a field name can be written in h=: VALCHARs (RFC 6376 3.2) other than ':' (RFC 5322 3.6.8). */
    public static boolean fitsHeaderList(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> c >= 0x21 && c <= 0x7e && c != ';' && c != ':');
    }

    // RFC 6376 2.11 dkim-quoted-printable: octets outside 0x21-0x3A, 0x3C, 0x3E-0x7E are written =XX.
    static String quotedPrintable(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x21 && c <= 0x7e && c != ';' && c != '=') {
                out.append((char) c);
            } else {
                out.append('=').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
