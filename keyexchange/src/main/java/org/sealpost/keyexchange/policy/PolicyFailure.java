package org.sealpost.keyexchange.policy;

/** The exception a refusing policy completes its future with; it carries the typed {@link Failure}. */
public final class PolicyFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Failure failure;

    public PolicyFailure(Failure failure) {
        super(failure.reason(), null, false, false);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
