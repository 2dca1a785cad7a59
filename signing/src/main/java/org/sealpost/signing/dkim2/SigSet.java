package org.sealpost.signing.dkim2;

import java.util.Arrays;

/** One sig-set of a DKIM2-Signature s= tag (-06 8.9): selector, signing algorithm name, signature. */
public record SigSet(String selector, String algorithm, byte[] signature) {

    public SigSet {
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The algorithm, or null when this verifier does not implement it (-06 3.4: such sig-sets are ignored). */
    public Dkim2Algorithm known() {
        return Dkim2Algorithm.byName(algorithm);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SigSet s && s.selector.equals(selector) && s.algorithm.equals(algorithm)
                && Arrays.equals(s.signature, signature);
    }

    @Override
    public int hashCode() {
        return (selector.hashCode() * 31 + algorithm.hashCode()) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return selector + ":" + algorithm + ":" + Dkim2Wire.base64(signature);
    }
}
