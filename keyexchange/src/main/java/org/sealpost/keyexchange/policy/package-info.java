/**
 * The outbound TLS policy seam. Before a delivery attempt the client asks a {@link
 * org.sealpost.keyexchange.policy.TlsPolicy} for the {@link
 * org.sealpost.keyexchange.policy.HopPolicy} of the destination domain: the {@link
 * org.sealpost.keyexchange.policy.TlsLevel} it needs, and after the handshake whether the peer
 * passes. Policy sources are ordered in one list ({@link
 * org.sealpost.keyexchange.policy.PolicyChain}); the first that knows the destination decides.
 */
package org.sealpost.keyexchange.policy;
