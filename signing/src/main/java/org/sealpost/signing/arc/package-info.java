/**
 * ARC, the Authenticated Received Chain (RFC 8617): validation on arrival and sealing when we pass a
 * message on. ARC is headed to Historic (draft-ietf-dmarc-arc-to-historic) in favour of DKIM2, but
 * receivers still meet it and large mailbox providers still ask forwarders to seal.
 *
 * <p>The public API:
 * <ul>
 * <li>{@link org.sealpost.signing.arc.ArcVerifier} with the DKIM
 *     {@link org.sealpost.signing.dkim.VerifierOptions}: {@code start()} gives an
 *     {@link org.sealpost.signing.arc.ArcVerification}, fed with {@code update} as the message arrives, like
 *     the DKIM verification; {@code finish()} completes with an {@link org.sealpost.signing.arc.ArcResult}
 *     ({@link org.sealpost.signing.arc.ArcStatus} none, pass or fail, the reason, oldest-pass, and one
 *     {@link org.sealpost.signing.arc.ArcSetResult} per set with its d=, s= and ARC-Authentication-Results).</li>
 * <li>{@link org.sealpost.signing.arc.ArcSealer}: {@code start()} gives an
 *     {@link org.sealpost.signing.arc.ArcSealing}, fed like a verification, whose
 *     {@code finish(cvOnArrival, ourAuthenticationResults)} returns our set: its three fields, i= and cv=.</li>
 * <li>{@link org.sealpost.signing.arc.TrustedSealers}: whether a passing chain's newest set comes from a
 *     trusted sealer that saw dmarc=pass.</li>
 * </ul>
 * Canonicalization, tag lists, key records and the signature algorithms are DKIM's
 * ({@code org.sealpost.signing.dkim}); ARC-Message-Signature and ARC-Seal are DKIM-like fields.
 */
package org.sealpost.signing.arc;
