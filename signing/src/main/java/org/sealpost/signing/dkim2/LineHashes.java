package org.sealpost.signing.dkim2;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A body seen as a 64-bit hash per line, for the diff, and a SHA-256 of all its lines, to prove the
 * recreated body equal after the diff; no line is kept. Past {@code maxLines} it stops counting
 * hashes and says so.
 */
final class LineHashes implements BodyLines {

    private final int maxLines;
    private final MessageDigest digest;
    private long[] hashes = new long[64];
    private int count;
    private long lines;

    LineHashes(int maxLines) {
        this.maxLines = maxLines;
        this.digest = sha256();
    }

    @Override
    public void line(byte[] data, int offset, int length) {
        lines++;
        digest.update(data, offset, length);
        digest.update(CRLF);
        if (lines > maxLines) {
            hashes = null; // too many to diff: the caller falls back to a null body recipe
            return;
        }
        if (count == hashes.length) {
            hashes = Arrays.copyOf(hashes, Math.min(hashes.length * 2, maxLines));
        }
        hashes[count++] = hash(data, offset, length);
    }

    @Override
    public void end() {
    }

    boolean tooMany() {
        return hashes == null;
    }

    long[] hashes() {
        return hashes;
    }

    int count() {
        return count;
    }

    long lines() {
        return lines;
    }

    byte[] sha256Digest() {
        return digest.digest();
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /** FNV-1a, 64 bits, with the length folded in; collisions are caught by the SHA-256 check. */
    static long hash(byte[] data, int offset, int length) {
        long h = 0xcbf29ce484222325L ^ length;
        for (int i = offset, end = offset + length; i < end; i++) {
            h ^= data[i] & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
