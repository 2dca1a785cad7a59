package org.sealpost.signing.dkim2;

/**
 * A DKIM2 field, key record or request that cannot be used; the message names the field, its i= or
 * m= and the tag, in the words of -06 11.2 to 11.5 where the draft gives them.
 */
public final class Dkim2PermanentError extends Exception {

    private static final long serialVersionUID = 1L;

    public Dkim2PermanentError(String reason) {
        super(reason, null, false, false);
    }
}
