package org.sealpost.keyexchange.mtasts;

/** A policy that could not be fetched or read, with its TLS-RPT result type and what went wrong. */
public final class StsException extends Exception {

    private static final long serialVersionUID = 1L;

    private final StsFailure failure;

    public StsException(StsFailure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public StsFailure failure() {
        return failure;
    }
}
