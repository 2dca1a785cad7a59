package org.sealpost.signing.dkim2;

import java.time.Clock;
import java.time.Duration;

/**
 * How a verifier judges: its clock; the age after which a signature has expired (-06 11.3: 14 days);
 * the clock skew allowed for t= in the future; the header section it holds; whether an nd= on the
 * newest hop is accepted by out-of-band arrangement (-06 9.3, 11.4); and the recipe engine.
 */
public record Dkim2VerifierOptions(Clock clock, Duration maxAge, Duration clockSkew, int maxHeaderBytes,
        boolean acceptNextDomain, EarlierVersions earlierVersions) {

    public static Dkim2VerifierOptions defaults() {
        return new Dkim2VerifierOptions(Clock.systemUTC(), Duration.ofDays(14), Duration.ofMinutes(5), 1 << 20, false,
                EarlierVersions.NONE);
    }

    public Dkim2VerifierOptions withClock(Clock c) {
        return new Dkim2VerifierOptions(c, maxAge, clockSkew, maxHeaderBytes, acceptNextDomain, earlierVersions);
    }

    public Dkim2VerifierOptions withMaxAge(Duration age) {
        return new Dkim2VerifierOptions(clock, age, clockSkew, maxHeaderBytes, acceptNextDomain, earlierVersions);
    }

    public Dkim2VerifierOptions withAcceptNextDomain(boolean accept) {
        return new Dkim2VerifierOptions(clock, maxAge, clockSkew, maxHeaderBytes, accept, earlierVersions);
    }

    public Dkim2VerifierOptions withEarlierVersions(EarlierVersions engine) {
        return new Dkim2VerifierOptions(clock, maxAge, clockSkew, maxHeaderBytes, acceptNextDomain, engine);
    }
}
