/**
 * The outbound TLS policy seam: one ordered list of {@link
 * org.sealpost.keyexchange.policy.DeliveryPolicy} ({@link org.sealpost.keyexchange.policy.Policies},
 * in the order of {@link org.sealpost.keyexchange.policy.Policies#ORDER}). Before each MX host
 * is contacted every policy may raise the required {@link org.sealpost.keyexchange.policy.TlsLevel}
 * or refuse the host; after the handshake every policy checks the session. Results are typed: a
 * {@link org.sealpost.keyexchange.policy.Decision} (level, deciding policy, how the peer is
 * verified) and a {@link org.sealpost.keyexchange.policy.Failure} (temporary or permanent, the
 * enhanced status code, the policy, the RFC 8460 result type).
 */
package org.sealpost.keyexchange.policy;
