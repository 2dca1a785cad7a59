package org.sealpost.signing.dkim2;

import java.util.Arrays;

/**
 * One hash-set of a Message-Instance h= tag (-06 7.3): the hash name and the decoded header and
 * body hashes. {@code known} says whether this verifier implements the hash (-06 3.4: others are
 * ignored).
 */
public record InstanceHash(String algorithm, byte[] headerHash, byte[] bodyHash) {

    public InstanceHash {
        headerHash = headerHash.clone();
        bodyHash = bodyHash.clone();
    }

    @Override
    public byte[] headerHash() {
        return headerHash.clone();
    }

    @Override
    public byte[] bodyHash() {
        return bodyHash.clone();
    }

    /** Whether the hash is one -06 3.1 defines (sha256, sha512). */
    public boolean known() {
        return Dkim2Wire.digestName(algorithm) != null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InstanceHash h && h.algorithm.equals(algorithm)
                && Arrays.equals(h.headerHash, headerHash) && Arrays.equals(h.bodyHash, bodyHash);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + Arrays.hashCode(headerHash) * 17 + Arrays.hashCode(bodyHash);
    }

    @Override
    public String toString() {
        return algorithm + ":" + Dkim2Wire.base64(headerHash) + ":" + Dkim2Wire.base64(bodyHash);
    }
}
