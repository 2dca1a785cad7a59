/**
 * DKIM signing and verification (RFC 6376, RFC 8463 Ed25519, RFC 8301 algorithm and key-size rules).
 *
 * <p>The public API:
 * <ul>
 * <li>{@link org.sealpost.signing.dkim.DkimVerifier} with {@link org.sealpost.signing.dkim.VerifierOptions}:
 *     {@code start()} gives a {@link org.sealpost.signing.dkim.MessageVerification}, fed with {@code update}
 *     as the message arrives; {@code finish()} completes with one {@link org.sealpost.signing.dkim.DkimResult}
 *     per signature ({@link org.sealpost.signing.dkim.Verdict}, reason, d=, s=, the key's DNSSEC status,
 *     and {@code toAuthenticationResults()} for RFC 8601).</li>
 * <li>{@link org.sealpost.signing.dkim.DkimSigner} with {@link org.sealpost.signing.dkim.SignerOptions} and
 *     {@link org.sealpost.signing.dkim.SigningKey}s: {@code start()} gives a
 *     {@link org.sealpost.signing.dkim.MessageSigning} whose {@code finish()} returns the DKIM-Signature
 *     fields to prepend.</li>
 * <li>{@link org.sealpost.signing.dkim.DkimKeys}: reading PEM and seed key files, generating key pairs
 *     ({@link org.sealpost.signing.dkim.GeneratedKey}) and the TXT records that publish them;
 *     {@link org.sealpost.signing.dkim.KeyType}, {@link org.sealpost.signing.dkim.Canonicalization}.</li>
 * </ul>
 * Both sides stream: the body passes through the canonicalizer into the hash and is never kept.
 */
package org.sealpost.signing.dkim;
