package org.sealpost.signing.dkim;

/** A signature or key record that cannot be used, with the reason written into the result. */
public final class DkimPermanentError extends Exception {

    private static final long serialVersionUID = 1L;

    public DkimPermanentError(String reason) {
        super(reason, null, false, false);
    }
}
