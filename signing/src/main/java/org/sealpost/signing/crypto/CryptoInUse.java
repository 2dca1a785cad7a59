package org.sealpost.signing.crypto;

/**
 * What {@link CryptoProviders#install} left in use.
 *
 * @param accp whether the Amazon Corretto Crypto Provider is at the top of the provider list
 * @param description what the start-up line says: the provider and its version, or the JDK's and why
 */
public record CryptoInUse(boolean accp, String description) {

    /** The one line the relay logs at start. */
    public String startLine() {
        return "crypto: " + description;
    }
}
