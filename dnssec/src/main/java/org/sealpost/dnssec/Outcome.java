package org.sealpost.dnssec;

/** How a lookup ended. */
public enum Outcome {
    /** Records were found. */
    FOUND,
    /** The name does not exist. */
    NXDOMAIN,
    /** The name exists but has no records of the type asked for. */
    NODATA,
    /** The resolver answered with a server failure. */
    SERVFAIL,
    /** No answer in time from any resolver. */
    TIMEOUT;

    /** Whether the lookup may succeed if it is tried again later. */
    public boolean isTemporary() {
        return this == SERVFAIL || this == TIMEOUT;
    }
}
