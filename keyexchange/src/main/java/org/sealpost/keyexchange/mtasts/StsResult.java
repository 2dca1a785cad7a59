package org.sealpost.keyexchange.mtasts;

import java.util.Optional;

/** What MTA-STS says about a destination domain: a policy, or none and why. */
public sealed interface StsResult {

    /**
     * A valid policy, fetched now or earlier and not expired. Its mode may be none, which a
     * sender treats as no policy (RFC 8461 5); it is still held, so that it replaces an older one.
     */
    record Found(StsPolicy policy) implements StsResult {
    }

    /**
     * No policy applies. {@code failure} is set when a policy was announced (a valid TXT record)
     * but could not be fetched and none was cached: RFC 8461 5 has the sender go on as if the
     * domain had no policy, and RFC 8460 has it report the failure with this result type.
     */
    record Absent(Optional<StsFailure> failure, String reason) implements StsResult {
    }
}
