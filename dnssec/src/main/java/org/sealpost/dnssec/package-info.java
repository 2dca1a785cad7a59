/**
 * DNS lookups that say how far to trust each answer.
 *
 * <p>The face of the module is {@link org.sealpost.dnssec.DnsResolver}: asynchronous lookups of
 * MX, A/AAAA (together or apart), PTR, TLSA and TXT records, each answering with a {@link org.sealpost.dnssec.DnsAnswer}
 * that carries the records, their TTL, the {@link org.sealpost.dnssec.Outcome} and the answer's
 * {@link org.sealpost.dnssec.Security}. Implementations: {@link org.sealpost.dnssec.ValidatingDnsResolver}
 * (validates here, from {@link org.sealpost.dnssec.TrustAnchors}), {@link org.sealpost.dnssec.PlainDnsResolver}
 * (no validation, or the AD bit of a loopback resolver), {@link org.sealpost.dnssec.CachingDnsResolver}
 * in front of either, and {@link org.sealpost.dnssec.InProcessZone} for tests and the demo.
 */
package org.sealpost.dnssec;
