/**
 * What protects a hop between mail servers. {@link org.sealpost.keyexchange.policy} holds the
 * outbound TLS policy: which TLS a delivery needs and how the peer is verified.
 */
package org.sealpost.keyexchange;
