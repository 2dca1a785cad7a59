package org.sealpost.signing.dkim;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Just enough DER (X.690) to read a SEQUENCE of INTEGERs: the PKCS#1 RSAPublicKey and
 * RSAPrivateKey structures (RFC 8017 A.1) that some key records and opendkim-genkey use.
 */
final class Der {

    private Der() {
    }

    /** The INTEGERs of a SEQUENCE that fills {@code der} exactly; throws on anything else. */
    static List<BigInteger> integers(byte[] der) {
        int[] pos = {0};
        int seqLength = header(der, pos, 0x30);
        if (pos[0] + seqLength != der.length) {
            throw new IllegalArgumentException("trailing data after the DER sequence");
        }
        List<BigInteger> values = new ArrayList<>();
        while (pos[0] < der.length) {
            int length = header(der, pos, 0x02);
            if (length == 0) {
                throw new IllegalArgumentException("empty DER integer");
            }
            values.add(new BigInteger(Arrays.copyOfRange(der, pos[0], pos[0] + length)));
            pos[0] += length;
        }
        return values;
    }

    private static int header(byte[] der, int[] pos, int tag) {
        if (pos[0] + 2 > der.length || (der[pos[0]] & 0xff) != tag) {
            throw new IllegalArgumentException("expected DER tag " + tag);
        }
        pos[0]++;
        int first = der[pos[0]++] & 0xff;
        int length;
        if (first < 0x80) {
            length = first;
        } else {
            int octets = first & 0x7f;
            if (octets == 0 || octets > 3 || pos[0] + octets > der.length) {
                throw new IllegalArgumentException("bad DER length");
            }
            length = 0;
            for (int i = 0; i < octets; i++) {
                length = length << 8 | der[pos[0]++] & 0xff;
            }
        }
        if (pos[0] + length > der.length) {
            throw new IllegalArgumentException("DER length past the end");
        }
        return length;
    }
}
