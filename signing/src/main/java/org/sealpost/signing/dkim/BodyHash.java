package org.sealpost.signing.dkim;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The running hash of one canonical body: canonicalizer into digest, hashing only the first
 * {@code limit} canonical octets when l= is given (RFC 6376 3.4.5), while counting them all.
 */
public final class BodyHash implements BodyCanonicalizer.Sink {

    /** The finished hash, and how many canonical octets the body had in all. */
    public record Result(byte[] digest, long canonicalLength) {
    }

    private final MessageDigest digest;
    private final long limit;
    private final BodyCanonicalizer canonicalizer;
    private long length;
    private Result result;

    /** {@code limit} is the l= value, or -1 for the whole body. */
    public BodyHash(Canonicalization canonicalization, String digestAlgorithm, long limit) {
        try {
            this.digest = MessageDigest.getInstance(digestAlgorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + digestAlgorithm, e);
        }
        this.limit = limit;
        this.canonicalizer = canonicalization.body(this);
    }

    public void update(byte[] data, int offset, int length) {
        canonicalizer.update(data, offset, length);
    }

    public Result finish() {
        if (result == null) {
            canonicalizer.finish();
            result = new Result(digest.digest(), length);
        }
        return result;
    }

    @Override
    public void write(byte[] data, int offset, int count) {
        long room = limit < 0 ? count : Math.max(0, Math.min(count, limit - length));
        if (room > 0) {
            digest.update(data, offset, (int) room);
        }
        length += count;
    }
}
