/**
 * What protects a hop between mail servers. {@link org.sealpost.keyexchange.policy} holds the
 * outbound TLS policy: which TLS a delivery needs and how the peer is verified;
 * {@link org.sealpost.keyexchange.dane} matches a peer's chain against its TLSA records;
 * {@link org.sealpost.keyexchange.mtasts} fetches and caches MTA-STS policies (RFC 8461).
 */
package org.sealpost.keyexchange;
