package org.sealpost.transport.metrics;

import java.util.Locale;
import org.sealpost.keyexchange.policy.TlsLevel;

/**
 * The protection a delivery reached: how the peer was verified, or, without verification, whether
 * TLS was required (encrypt) or taken as offered (may). The log's {@code tls=} field says the same in
 * words: "TLSv1.3 TLS_AES_256_GCM_SHA384 (dane-ee)", or "none" for plaintext.
 */
enum TlsReached {
    /** The peer matched its DNSSEC-signed TLSA records (RFC 7672). */
    DANE,
    /** Under an MTA-STS enforce policy (RFC 8461): the MX matched its patterns, the chain was verified for its name. */
    MTA_STS,
    /** The peer's keys matched the XKEYS pin held for it (docs/xkeys.md). */
    XKEYS,
    /** The peer's certificate chain and name were verified (verify or secure). */
    VERIFY,
    /** TLS without verification, under a policy that requires TLS. */
    ENCRYPT,
    /** TLS without verification, opportunistic. */
    MAY,
    /** Plaintext. */
    NONE;

    /**
     * @param level the TLS level the delivery's policy asked for
     * @param tls the log's tls= text: "none", or "PROTOCOL CIPHER (METHOD)"
     */
    static TlsReached of(TlsLevel level, String tls) {
        if (tls == null || tls.equals("none")) {
            return NONE;
        }
        int open = tls.lastIndexOf('(');
        String method = open < 0 ? "none" : tls.substring(open + 1, tls.length() - 1).toLowerCase(Locale.ROOT);
        if (method.startsWith("dane")) {
            return DANE;
        }
        if (method.equals("xkeys")) {
            return XKEYS;
        }
        if (method.equals("mta-sts")) {
            return MTA_STS;
        }
        if (method.equals("verify") || method.equals("secure")) {
            return VERIFY;
        }
        return level != null && level.requiresTls() ? ENCRYPT : MAY;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
