package org.sealpost.keyexchange.pins;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The XKEYS key set in its canonical form (docs/xkeys.md): fields in a fixed order, one per line,
 * LF line ends, signed by one of the host's current TLS keys. Its hash is what EHLO advertises.
 */
public record KeySet(String host, long serial, Instant notBefore, Instant notAfter, String previous,
        List<String> tlsKeys, List<String> nextKeys, List<Dkim> dkim, String signatureAlgorithm, String signature) {

    /** A domain this host signs mail for, with the selector and algorithm. */
    public record Dkim(String domain, String selector, String algorithm) {
    }

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern TOKEN = Pattern.compile("[!-~]+");

    public KeySet {
        tlsKeys = List.copyOf(tlsKeys);
        nextKeys = List.copyOf(nextKeys);
        dkim = List.copyOf(dkim);
    }

    /** Builds and signs a set with the private key of one of {@code tlsKeys}. */
    public static KeySet sign(String host, long serial, Instant notBefore, Instant notAfter, String previous,
            List<String> tlsKeys, List<String> nextKeys, List<Dkim> dkim, PrivateKey key) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "ecdsa-p256-sha256";
            case "RSA" -> "rsa-pss-sha256";
            case "Ed25519", "EdDSA" -> "ed25519";
            default -> throw new GeneralSecurityException("no XKEYS signature algorithm for " + key.getAlgorithm() + " keys");
        };
        KeySet unsigned = new KeySet(host, serial, notBefore, notAfter, previous, tlsKeys, nextKeys, dkim, algorithm, "");
        Signature signer = signature(algorithm);
        signer.initSign(key);
        signer.update(unsigned.unsignedText().getBytes(StandardCharsets.UTF_8));
        return new KeySet(host, serial, notBefore, notAfter, previous, tlsKeys, nextKeys, dkim, algorithm,
                Base64.getEncoder().encodeToString(signer.sign()));
    }

    /** The lines that the signature covers. */
    String unsignedText() {
        StringBuilder text = new StringBuilder("xkeys 1\n")
                .append("host ").append(host).append('\n')
                .append("serial ").append(serial).append('\n')
                .append("not-before ").append(notBefore).append('\n')
                .append("not-after ").append(notAfter).append('\n')
                .append("previous ").append(previous.isEmpty() ? "-" : previous).append('\n');
        tlsKeys.forEach(k -> text.append("tls-key spki-sha256 ").append(k).append('\n'));
        nextKeys.forEach(k -> text.append("next-key spki-sha256 ").append(k).append('\n'));
        dkim.forEach(d -> text.append("dkim ").append(d.domain()).append(' ').append(d.selector()).append(' ')
                .append(d.algorithm()).append('\n'));
        return text.toString();
    }

    /** The canonical octets: what the XKEYS command returns and the hash covers. */
    public byte[] encode() {
        return (unsignedText() + "signature " + signatureAlgorithm + " " + signature + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The set-hash advertised in EHLO: SHA-256 of the canonical octets, base64url without padding. */
    public String hash() {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(encode()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Whether the signature verifies with {@code key}, which must also be one of the set's TLS keys. */
    public boolean signedBy(PublicKey key) {
        if (!tlsKeys.contains(spkiSha256(key))) {
            return false;
        }
        try {
            Signature verifier = signature(signatureAlgorithm);
            verifier.initVerify(key);
            verifier.update(unsignedText().getBytes(StandardCharsets.UTF_8));
            return verifier.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The SHA-256 of a key's SubjectPublicKeyInfo, lower-case hex (the data of TLSA 3 1 1). */
    public static String spkiSha256(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Parses canonical octets; anything out of order, unknown or malformed is refused. */
    public static KeySet parse(byte[] octets) throws InvalidKeySetException {
        String text = new String(octets, StandardCharsets.UTF_8);
        if (!text.endsWith("\n") || text.contains("\r")) {
            throw new InvalidKeySetException("not canonical: lines must end with LF only");
        }
        List<String> lines = List.of(text.substring(0, text.length() - 1).split("\n", -1));
        int i = 0;
        try {
            expect(lines, i++, "xkeys", "1");
            String host = value(lines, i++, "host");
            long serial = Long.parseLong(value(lines, i++, "serial"));
            Instant notBefore = Instant.parse(value(lines, i++, "not-before"));
            Instant notAfter = Instant.parse(value(lines, i++, "not-after"));
            String previous = value(lines, i++, "previous");
            List<String> tlsKeys = new ArrayList<>();
            while (i < lines.size() && lines.get(i).startsWith("tls-key ")) {
                tlsKeys.add(key(lines.get(i++), "tls-key"));
            }
            List<String> nextKeys = new ArrayList<>();
            while (i < lines.size() && lines.get(i).startsWith("next-key ")) {
                nextKeys.add(key(lines.get(i++), "next-key"));
            }
            List<Dkim> dkim = new ArrayList<>();
            while (i < lines.size() && lines.get(i).startsWith("dkim ")) {
                String[] f = lines.get(i++).split(" ");
                if (f.length != 4) {
                    throw new InvalidKeySetException("line " + i + ": expected 'dkim DOMAIN SELECTOR ALGORITHM'");
                }
                dkim.add(new Dkim(f[1], f[2], f[3]));
            }
            String[] signature = value(lines, i++, "signature").split(" ");
            if (signature.length != 2 || i != lines.size()) {
                throw new InvalidKeySetException("the set must end with one 'signature ALGORITHM VALUE' line");
            }
            if (tlsKeys.isEmpty() || serial < 0 || !notAfter.isAfter(notBefore)) {
                throw new InvalidKeySetException("a set needs a tls-key, a serial of 0 or more, and not-after after not-before");
            }
            KeySet set = new KeySet(host, serial, notBefore, notAfter, previous.equals("-") ? "" : previous, tlsKeys, nextKeys,
                    dkim, signature[0], signature[1]);
            if (!java.util.Arrays.equals(set.encode(), octets)) {
                throw new InvalidKeySetException("not canonical: the set does not re-encode to the same octets");
            }
            return set;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new InvalidKeySetException("line " + i + ": " + e.getMessage());
        }
    }

    private static void expect(List<String> lines, int index, String name, String wanted) throws InvalidKeySetException {
        if (!value(lines, index, name).equals(wanted)) {
            throw new InvalidKeySetException("line " + (index + 1) + ": expected '" + name + " " + wanted + "'");
        }
    }

    private static String value(List<String> lines, int index, String name) throws InvalidKeySetException {
        if (index >= lines.size() || !lines.get(index).startsWith(name + " ")) {
            throw new InvalidKeySetException("line " + (index + 1) + ": expected the field '" + name + "'");
        }
        String value = lines.get(index).substring(name.length() + 1);
        if (!TOKEN.matcher(value.replace(" ", "!")).matches()) {
            throw new InvalidKeySetException("line " + (index + 1) + ": bad value for '" + name + "'");
        }
        return value;
    }

    private static String key(String line, String name) throws InvalidKeySetException {
        String prefix = name + " spki-sha256 ";
        String hex = line.startsWith(prefix) ? line.substring(prefix.length()) : "";
        if (!HEX64.matcher(hex).matches()) {
            throw new InvalidKeySetException("expected '" + prefix + "<64 lower-case hex digits>', got '" + line + "'");
        }
        return hex;
    }

    private static Signature signature(String algorithm) throws GeneralSecurityException {
        return switch (algorithm) {
            case "ecdsa-p256-sha256" -> Signature.getInstance("SHA256withECDSA");
            case "ed25519" -> Signature.getInstance("Ed25519");
            case "rsa-pss-sha256" -> {
                Signature pss = Signature.getInstance("RSASSA-PSS");
                pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                yield pss;
            }
            default -> throw new GeneralSecurityException("unknown XKEYS signature algorithm " + algorithm);
        };
    }
}
