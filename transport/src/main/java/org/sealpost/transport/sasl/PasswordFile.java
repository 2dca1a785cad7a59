package org.sealpost.transport.sasl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.sealpost.transport.config.ConfigException;
import org.sealpost.transport.smtp.server.Authenticator;

/**
 * SASL logins from a file of {@code user:hash} lines, where the hash is
 * {@code $pbkdf2-sha256$ITERATIONS$SALT$HASH} (base64) as {@code sealpost passwd} writes it.
 * Passwords are never stored in the clear; a wrong user costs the same time as a wrong password.
 */
public final class PasswordFile implements Authenticator {

    private static final String SCHEME = "pbkdf2-sha256";
    private static final int ITERATIONS = 210_000;
    private static final String DUMMY = hash("not a password", new byte[16], 1000);

    private final Map<String, String> hashes;

    private PasswordFile(Map<String, String> hashes) {
        this.hashes = Map.copyOf(hashes);
    }

    public static PasswordFile load(Path file) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(ConfigException.unreadable("sasl_password_file", file, e));
        }
        Map<String, String> hashes = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !line.startsWith("$" + SCHEME + "$", colon + 1) || line.substring(colon + 1).split("\\$").length != 5) {
                throw new ConfigException(file + ":" + (i + 1) + ": expected 'user:$" + SCHEME
                        + "$...' as written by 'sealpost passwd USER'");
            }
            hashes.put(line.substring(0, colon), line.substring(colon + 1));
        }
        return new PasswordFile(hashes);
    }

    /** A new line for the file: the user and a salted hash of the password. */
    public static String entry(String user, String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return user + ":" + hash(password, salt, ITERATIONS);
    }

    @Override
    public boolean authenticate(String user, String password) {
        String stored = hashes.getOrDefault(user, DUMMY);
        String[] parts = stored.split("\\$");
        int iterations = Integer.parseInt(parts[2]);
        byte[] salt = Base64.getDecoder().decode(parts[3]);
        boolean same = MessageDigest.isEqual(hash(password, salt, iterations).getBytes(StandardCharsets.US_ASCII),
                stored.getBytes(StandardCharsets.US_ASCII));
        return same && hashes.containsKey(user);
    }

    private static String hash(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
            return "$" + SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java 17 runtime", e);
        }
    }
}
