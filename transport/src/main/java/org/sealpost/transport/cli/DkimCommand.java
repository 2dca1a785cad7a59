package org.sealpost.transport.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.signing.dkim.Canonicalization;
import org.sealpost.signing.crypto.ProviderChoice;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.DkimResult;
import org.sealpost.signing.dkim.DkimSigner;
import org.sealpost.signing.dkim.DkimVerifier;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.MessageSigning;
import org.sealpost.signing.dkim.SignerOptions;
import org.sealpost.signing.dkim.SigningKey;
import org.sealpost.signing.dkim.VerifierOptions;
import org.sealpost.signing.dkim2.Dkim2Algorithm;
import org.sealpost.signing.dkim2.Dkim2Key;
import org.sealpost.signing.dkim2.Dkim2Keys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `sealpost dkim keygen|sign|verify`: DKIM keys, signatures and checks from the shell, with the
 * same signer and verifier the relay uses. Messages come on standard input with LF or CRLF line
 * ends; they are signed and verified in the CRLF form of the wire (RFC 5321 2.3.8).
 */
@Command(name = "dkim", mixinStandardHelpOptions = true,
        description = "DKIM keys, signing and verification with Sealpost's signer and verifier.",
        subcommands = {DkimCommand.Keygen.class, DkimCommand.Sign.class, DkimCommand.Verify.class})
final class DkimCommand {

    /** Exit status of verify when no signature passes. */
    static final int NO_PASS = 1;

    private DkimCommand() {
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Writes a new private key (PKCS#8 PEM, mode 600; an existing file is never "
            + "overwritten) and prints the TXT record to publish, as a zone-file line with strings of at most 255 "
            + "characters, then a comment line (';') on DKIM2: an RSA or Ed25519 record serves DKIM2 too; an "
            + "ML-DSA-44 record (--algorithm mldsa44) serves DKIM2 only, under its own selector. "
            + "Exit status: 0 written, 2 usage error.")
    static final class Keygen implements Callable<Integer> {

        /** The experimental DKIM2-only sig-name (docs/dkim2.md, "Post-quantum"). */
        static final String MLDSA44 = Dkim2Algorithm.MLDSA44.wireName();

        @Option(names = "--domain", required = true, paramLabel = "D", description = "the signing domain (d=)")
        String domain;

        @Option(names = "--selector", required = true, paramLabel = "S", description = "the selector (s=)")
        String selector;

        @Option(names = "--algorithm", defaultValue = "rsa-sha256", paramLabel = "A",
                description = "rsa-sha256 (the default), ed25519-sha256 (RFC 8463), or mldsa44: an experimental "
                        + "ML-DSA-44 key for DKIM2 only, signed beside an RSA or Ed25519 key")
        String algorithm;

        @Option(names = "--bits", paramLabel = "N", description = "RSA key size, at least 1024 (default 2048)")
        Integer bits;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "where to write the private key")
        Path out;

        @Override
        public Integer call() throws Exception {
            boolean mlDsa = algorithm.equals(MLDSA44);
            KeyType type = mlDsa ? null : keyType(algorithm);
            if (type == null && !mlDsa) {
                return usage("keygen", "--algorithm is rsa-sha256, ed25519-sha256 or " + MLDSA44 + ", not '" + algorithm
                        + "'");
            }
            if (type != KeyType.RSA && bits != null) {
                return usage("keygen", "--bits applies to RSA keys only; " + (mlDsa ? "an ML-DSA-44 key has one size"
                        : "an Ed25519 key is always 256 bits"));
            }
            int size = bits == null ? 2048 : bits;
            if (type == KeyType.RSA && size < 1024) {
                return usage("keygen", "--bits " + size + " is too small: RFC 8301 3.2 requires at least 1024 bits "
                        + "(2048 recommended)");
            }
            if (Files.exists(out)) {
                return usage("keygen", out + " exists; refusing to overwrite a key that may be in use "
                        + "(choose another --out, or remove the file first)");
            }
            String pem;
            String record;
            String comment;
            try {
                if (mlDsa) {
                    KeyPair pair = Dkim2Keys.generateMlDsa44();
                    Dkim2Key.mlDsa44(domain, selector, pair.getPrivate());
                    pem = DkimKeys.pemOf(pair.getPrivate());
                    record = Dkim2Keys.mlDsa44Record(pair.getPublic());
                    // dns-00 3.4.1 lets k= name any key type; RFC 6376 knows rsa only (RFC 8463 adds ed25519).
                    comment = "; k=" + Dkim2Algorithm.MLDSA44.keyType() + " serves DKIM2 only (experimental): DKIM "
                            + "(RFC 6376) verifiers do not know it. Publish it under its own selector, beside an RSA or "
                            + "Ed25519 key, never as the only key";
                } else {
                    GeneratedKey key = DkimKeys.generate(type, size);
                    new SigningKey(domain, selector, type, key.privateKey());
                    pem = key.privateKeyPem();
                    record = key.txtRecord();
                    // dns-00 3: DKIM2 looks keys up where DKIM does and reads the same k=rsa and k=ed25519 records.
                    comment = "; this record serves DKIM2 too (draft-ietf-dkim-dkim2-dns-00)";
                }
            } catch (IllegalArgumentException e) {
                return usage("keygen", "--domain and --selector must be domain names: " + e.getMessage());
            }
            try {
                Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                return usage("keygen", out + " exists; refusing to overwrite a key that may be in use");
            } catch (NoSuchFileException e) {
                return usage("keygen", "cannot create " + out + ": its folder does not exist");
            }
            Files.writeString(out, pem, StandardCharsets.US_ASCII);
            System.out.println(zoneFileLine(record));
            System.out.println(comment);
            return 0;
        }

        /** The record at its absolute name, in character-strings of at most 255 octets (RFC 1035 3.3.14). */
        private String zoneFileLine(String record) {
            StringBuilder line = new StringBuilder(selector).append("._domainkey.").append(domain)
                    .append(domain.endsWith(".") ? "" : ".").append(" IN TXT (");
            for (int i = 0; i < record.length(); i += 255) {
                line.append(" \"").append(record, i, Math.min(record.length(), i + 255)).append('"');
            }
            return line.append(" )").toString();
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Reads a message on standard input and writes the DKIM-Signature field "
            + "followed by the whole message, with the line ends of the input (LF or CRLF). Exit status: 0 signed, "
            + "2 usage or input error (unreadable key, no From field).")
    static final class Sign implements Callable<Integer> {

        @Option(names = "--domain", required = true, paramLabel = "D", description = "the signing domain (d=)")
        String domain;

        @Option(names = "--selector", required = true, paramLabel = "S", description = "the selector (s=)")
        String selector;

        @Option(names = "--key", required = true, paramLabel = "FILE",
                description = "the private key: PKCS#8 or PKCS#1 PEM, or a base64 Ed25519 seed")
        Path keyFile;

        @Option(names = "--algorithm", paramLabel = "A",
                description = "rsa-sha256 or ed25519-sha256; must fit the key (default: the key's type decides)")
        String algorithm;

        @Option(names = "--headers", paramLabel = "h1:h2:...",
                description = "the header fields to sign (default: From, To, Cc, Subject, Date, Message-ID and the "
                        + "others a reader sees); From is always signed, Bcc never")
        String headers;

        @Option(names = "--identity", paramLabel = "I", description = "the i= identity, in the domain or below it")
        String identity;

        @Option(names = "--canonicalization", defaultValue = "relaxed/relaxed", paramLabel = "H/B",
                description = "header/body: relaxed or simple each (default relaxed/relaxed; one name alone means "
                        + "that for the header and simple for the body, as c= does)")
        String canonicalization;

        @Override
        public Integer call() throws Exception {
            Integer crypto = Main.installCrypto("dkim sign", ProviderChoice.AUTO);
            if (crypto != null) {
                return crypto;
            }
            Canonicalization[] c = canonicalization(canonicalization);
            if (c == null) {
                return usage("sign", "--canonicalization is relaxed/relaxed, relaxed/simple, simple/relaxed, "
                        + "simple/simple, relaxed or simple, not '" + canonicalization + "'");
            }
            KeyType wanted = null;
            if (algorithm != null && (wanted = keyType(algorithm)) == null) {
                return usage("sign", "--algorithm is rsa-sha256 or ed25519-sha256, not '" + algorithm + "'");
            }
            PrivateKey privateKey;
            try {
                privateKey = DkimKeys.readPrivateKey(Files.readString(keyFile, StandardCharsets.US_ASCII));
            } catch (NoSuchFileException e) {
                return usage("sign", keyFile + ": no such key file (make one with sealpost dkim keygen)");
            } catch (IOException | GeneralSecurityException e) {
                return usage("sign", keyFile + ": cannot read the private key: " + e.getMessage());
            }
            SigningKey key;
            try {
                key = SigningKey.of(domain, selector, privateKey);
            } catch (IllegalArgumentException e) {
                return usage("sign", keyFile + ": " + e.getMessage());
            }
            if (wanted != null && wanted != key.type()) {
                return usage("sign", "--algorithm " + algorithm + " does not fit " + keyFile + ", which holds an "
                        + (key.type() == KeyType.RSA ? "RSA" : "Ed25519") + " key; leave --algorithm out to sign with "
                        + "the key's own algorithm");
            }
            SignerOptions options = SignerOptions.defaults().withCanonicalization(c[0], c[1]);
            if (headers != null) {
                List<String> names = Arrays.stream(headers.split(":")).map(String::strip).filter(h -> !h.isEmpty())
                        .toList();
                if (names.isEmpty()) {
                    return usage("sign", "--headers names no field; give names separated by colons, e.g. "
                            + "From:To:Subject:Date");
                }
                options = options.withHeaders(names);
            }
            byte[] input = System.in.readAllBytes();
            if (input.length == 0) {
                return usage("sign", "standard input is empty; give the message to sign on standard input");
            }
            byte[] message = toCrlf(input);
            String fields;
            try {
                DkimSigner signer = new DkimSigner(List.of(key), options);
                MessageSigning signing = identity == null ? signer.start() : signer.start(identity);
                signing.update(message);
                fields = signing.finish();
            } catch (IllegalArgumentException e) {
                return usage("sign", "standard input: " + e.getMessage());
            }
            byte[] signed = concat(fields.getBytes(StandardCharsets.US_ASCII), message);
            PrintStream stdout = System.out;
            stdout.write(usesCrlf(input) ? signed : toLf(signed));
            stdout.flush();
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Reads a message on standard input and prints one line per DKIM-Signature "
            + "field in RFC 8601 form with the key's DNSSEC status, e.g. 'dkim=pass header.d=example.com header.s=sel "
            + "header.a=rsa-sha256 header.b=abcdefgh (key SECURE)'. Keys come from --dns-zone files, or from DNS "
            + "validated from --trust-anchor (default: the root anchors) through --resolver (default: "
            + "/etc/resolv.conf). Exit status: 0 at least one signature passes, 1 none passes or there is none, "
            + "2 usage or input error.")
    static final class Verify implements Callable<Integer> {

        @Mixin
        DnsOptions dnsOptions = new DnsOptions();

        @Option(names = "--now", paramLabel = "EPOCH", description = "judge t= and x= at this time (seconds since 1970)")
        Long now;

        @Option(names = "--legacy", description = "also accept rsa-sha1, RSA keys of 512 to 1023 bits and pre-RFC "
                + "signatures; for old archives, not for mail arriving today")
        boolean legacy;

        @Override
        public Integer call() throws Exception {
            Integer crypto = Main.installCrypto("dkim verify", ProviderChoice.AUTO);
            if (crypto != null) {
                return crypto;
            }
            DnsResolver dns;
            try {
                dns = dnsOptions.resolver();
            } catch (IOException | IllegalArgumentException e) {
                return usage("verify", e.getMessage());
            }
            VerifierOptions options = VerifierOptions.defaults().withLegacy(legacy);
            if (now != null) {
                options = options.withClock(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC));
            }
            byte[] input = System.in.readAllBytes();
            if (input.length == 0) {
                return usage("verify", "standard input is empty; give the message to verify on standard input");
            }
            List<DkimResult> results;
            try {
                results = new DkimVerifier(dns, options).verify(toCrlf(input)).get(60, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                System.err.println("sealpost dkim verify: the verification did not complete: "
                        + (e.getCause() == null ? e : e.getCause()));
                return NO_PASS;
            }
            if (results.isEmpty()) {
                System.out.println("dkim=none (no signatures)");
                return NO_PASS;
            }
            // RFC 8601 resinfo; the comment ends with the key's DNSSEC status ("key SECURE").
            results.forEach(r -> System.out.println(r.toAuthenticationResults()));
            return results.stream().anyMatch(DkimResult::passed) ? 0 : NO_PASS;
        }
    }

    private static KeyType keyType(String algorithm) {
        return switch (algorithm) {
            case "rsa-sha256" -> KeyType.RSA;
            case "ed25519-sha256" -> KeyType.ED25519;
            default -> null;
        };
    }

    /** "h/b", or one name alone: that for the header, simple for the body (RFC 6376 3.5 c=). */
    private static Canonicalization[] canonicalization(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length > 2) {
            return null;
        }
        Canonicalization header = canonical(parts[0]);
        Canonicalization body = parts.length == 1 ? Canonicalization.SIMPLE : canonical(parts[1]);
        return header == null || body == null ? null : new Canonicalization[] {header, body};
    }

    private static Canonicalization canonical(String name) {
        return switch (name) {
            case "relaxed" -> Canonicalization.RELAXED;
            case "simple" -> Canonicalization.SIMPLE;
            default -> null;
        };
    }

    private static int usage(String command, String message) {
        System.err.println("sealpost dkim " + command + ": " + message);
        return Main.CONFIG_ERROR;
    }

    /** Whether the input's first line ends in CRLF; the output of sign follows it. */
    static boolean usesCrlf(byte[] message) {
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '\n') {
                return i > 0 && message[i - 1] == '\r';
            }
        }
        return false;
    }

    /** Every LF not already preceded by CR gets one. */
    static byte[] toCrlf(byte[] message) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(message.length + message.length / 32);
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '\n' && (i == 0 || message[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(message[i]);
        }
        return out.toByteArray();
    }

    /** Every CRLF becomes LF. */
    static byte[] toLf(byte[] message) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(message.length);
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '\r' && i + 1 < message.length && message[i + 1] == '\n') {
                continue;
            }
            out.write(message[i]);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
