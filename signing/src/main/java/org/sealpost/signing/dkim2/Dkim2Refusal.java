package org.sealpost.signing.dkim2;

/** The signer would not sign: the message says why ("cannot sign: ..."), and what the caller must give. */
public final class Dkim2Refusal extends Exception {

    private static final long serialVersionUID = 1L;

    public Dkim2Refusal(String reason) {
        super("cannot sign: " + reason, null, false, false);
    }
}
