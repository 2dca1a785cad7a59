package org.sealpost.keyexchange.pins;

/** A key set that is not in canonical form, or fails a check; the message says which. */
public final class InvalidKeySetException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidKeySetException(String message) {
        super(message);
    }
}
