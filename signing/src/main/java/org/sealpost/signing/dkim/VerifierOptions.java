package org.sealpost.signing.dkim;

import java.time.Clock;
import java.time.Duration;

/**
 * How the verifier judges signatures.
 *
 * @param clock         the time t= and x= are checked against
 * @param clockSkew     how far t= may lie in the future, and x= in the past, before the signature is refused
 * @param maxSignatures how many DKIM-Signature fields are evaluated, from the top; the rest come out neutral
 * @param legacy        also accept what RFC 8301 and RFC 6376 retired: rsa-sha1, RSA keys of 512 to 1023 bits,
 *                      and pre-RFC 4871 signatures without v=1 (RFC 4871 g= is then enforced too). Off by default;
 *                      meant for reading old archives, not for mail arriving today
 * @param maxHeaderBytes the largest header section read; a larger one is a permerror
 */
public record VerifierOptions(Clock clock, Duration clockSkew, int maxSignatures, boolean legacy, int maxHeaderBytes) {

    public VerifierOptions {
        if (maxSignatures < 1 || maxHeaderBytes < 1024 || clockSkew.isNegative()) {
            throw new IllegalArgumentException("maxSignatures >= 1, maxHeaderBytes >= 1024, clockSkew >= 0");
        }
    }

    /** System clock, 5 minutes of skew, 5 signatures, strict RFC 8301, 1 MiB of header. */
    public static VerifierOptions defaults() {
        return new VerifierOptions(Clock.systemUTC(), Duration.ofMinutes(5), 5, false, 1 << 20);
    }

    public VerifierOptions withClock(Clock value) {
        return new VerifierOptions(value, clockSkew, maxSignatures, legacy, maxHeaderBytes);
    }

    public VerifierOptions withClockSkew(Duration value) {
        return new VerifierOptions(clock, value, maxSignatures, legacy, maxHeaderBytes);
    }

    public VerifierOptions withMaxSignatures(int value) {
        return new VerifierOptions(clock, clockSkew, value, legacy, maxHeaderBytes);
    }

    public VerifierOptions withLegacy(boolean value) {
        return new VerifierOptions(clock, clockSkew, maxSignatures, value, maxHeaderBytes);
    }

    public VerifierOptions withMaxHeaderBytes(int value) {
        return new VerifierOptions(clock, clockSkew, maxSignatures, legacy, value);
    }
}
