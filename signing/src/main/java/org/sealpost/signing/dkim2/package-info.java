/**
 * DKIM2 (draft-ietf-dkim-dkim2-spec-06, keys per draft-ietf-dkim-dkim2-dns-00): every hop signs the
 * message together with the envelope it sends it with, so a verifier can follow the chain of custody
 * and tell a replayed message; a hop that changes the message adds a Message-Instance with a recipe
 * that recreates the version it received.
 *
 * <p>The public API:
 * <ul>
 * <li>{@link org.sealpost.signing.dkim2.Dkim2Signer} with {@link org.sealpost.signing.dkim2.Dkim2Key}s and
 *     {@link org.sealpost.signing.dkim2.Dkim2SignOptions} (envelope or nd=, t=, n=, f=, the recipe of a new
 *     Message-Instance): {@code start(options)} gives a {@link org.sealpost.signing.dkim2.Dkim2Signing} whose
 *     {@code finish()} returns the fields to prepend, or throws {@link org.sealpost.signing.dkim2.Dkim2Refusal}.</li>
 * <li>{@link org.sealpost.signing.dkim2.Dkim2Verifier} with {@link org.sealpost.signing.dkim2.Dkim2VerifierOptions}:
 *     {@code start(envelope)} gives a {@link org.sealpost.signing.dkim2.Dkim2Verification}, fed with
 *     {@code update}; {@code finish()} completes with a {@link org.sealpost.signing.dkim2.Dkim2Result}
 *     ({@link org.sealpost.signing.dkim2.Dkim2Verdict}, reason, one entry per hop and per instance, and the
 *     {@link org.sealpost.signing.dkim2.Dkim2Result.Transmission} whose digest tells copies apart, -06 11.9).</li>
 * <li>{@link org.sealpost.signing.dkim2.EarlierVersions}: the seam for the recipe engine.</li>
 * <li>{@link org.sealpost.signing.dkim2.Dkim2Wire}: the wire format (parse and write the fields, names,
 *     canonical forms), with {@link org.sealpost.signing.dkim2.MessageInstance},
 *     {@link org.sealpost.signing.dkim2.Dkim2Signature}, {@link org.sealpost.signing.dkim2.SigSet},
 *     {@link org.sealpost.signing.dkim2.InstanceHash}; {@link org.sealpost.signing.dkim2.Dkim2KeyRecord},
 *     {@link org.sealpost.signing.dkim2.Dkim2Keys} (ML-DSA-44).</li>
 * </ul>
 */
package org.sealpost.signing.dkim2;
