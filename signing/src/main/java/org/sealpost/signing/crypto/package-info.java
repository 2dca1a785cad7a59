/**
 * Which JCA providers do Sealpost's cryptography: {@link org.sealpost.signing.crypto.CryptoProviders#install}
 * with a {@link org.sealpost.signing.crypto.ProviderChoice} (the crypto_provider key) puts the Amazon
 * Corretto Crypto Provider (AWS-LC) at the top of the provider list, or stays with the JDK's, and says
 * which in a {@link org.sealpost.signing.crypto.CryptoInUse}. Called once at start by the relay and by
 * the commands that sign or verify.
 */
package org.sealpost.signing.crypto;
