/**
 * DNS lookups that say how far to trust each answer.
 *
 * <p>The face of the module is {@link org.sealpost.dnssec.DnsResolver}: asynchronous lookups that
 * never block the caller's thread, each answering with a {@link org.sealpost.dnssec.DnsAnswer}
 * that carries the records, their TTL, the outcome of the lookup and the answer's
 * {@link org.sealpost.dnssec.Security}. {@link org.sealpost.dnssec.PlainDnsResolver} asks a
 * recursive resolver without validating; DNSSEC validation arrives with the validating resolver.
 */
package org.sealpost.dnssec;
