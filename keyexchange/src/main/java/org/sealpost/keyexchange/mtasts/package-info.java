/**
 * The MTA-STS client (RFC 8461). {@link org.sealpost.keyexchange.mtasts.MtaSts#policyFor} gives
 * the policy that applies to a destination domain as a {@link org.sealpost.keyexchange.mtasts.StsResult}:
 * a {@link org.sealpost.keyexchange.mtasts.StsPolicy} (mode, MX patterns, id, expiry, and
 * {@code matches}/{@code allows} for an MX host), or none with the RFC 8460 result type of a
 * failed fetch ({@link org.sealpost.keyexchange.mtasts.StsFailure}). {@link
 * org.sealpost.keyexchange.mtasts.StsSettings} holds the port, the trust store and the timeouts.
 * {@link org.sealpost.keyexchange.mtasts.MtaStsPolicy} is MTA-STS's place in the outbound list of
 * policies: enforce raises a matching MX host to verify or refuses it, testing only reports.
 */
package org.sealpost.keyexchange.mtasts;
