/**
 * DMARC as RFC 9989 ("DMARCbis", May 2026; obsoletes RFC 7489 and RFC 9091). Written from
 * draft-ietf-dmarc-dmarcbis-41, the revision the working group sent to the RFC Editor; section
 * numbers in the comments are those of that revision (4.7 tags, 4.8 grammar, 4.10 DNS Tree Walk,
 * 4.10.1 policy discovery, 4.10.2 Organizational Domain, 5.3 receiver actions, 11.5 several From
 * domains).
 *
 * <p>The public API:
 * <ul>
 * <li>{@link org.sealpost.signing.dmarc.DmarcEvaluator}: {@code evaluate(authorDomains, dkimResults, spfCheck)}
 *     gives a {@link org.sealpost.signing.dmarc.DmarcVerdict}, one
 *     {@link org.sealpost.signing.dmarc.DmarcEvaluation} per Author Domain (a
 *     {@link org.sealpost.signing.dmarc.DmarcResult}, the {@link org.sealpost.signing.dmarc.Policy} asked
 *     for, the disposition after t=y, the reason, the walk) and the strictest of them.
 *     The SPF input is a {@link org.sealpost.signing.dmarc.SpfCheck} (result and domain); DKIM results
 *     are {@link org.sealpost.signing.dkim.DkimResult}s.</li>
 * <li>{@link org.sealpost.signing.dmarc.PolicyDiscovery}: the record that applies to a domain, where the
 *     tree walk found it, the Organizational Domain and the names queried ({@code sealpost dmarc record}).</li>
 * <li>{@link org.sealpost.signing.dmarc.DmarcRecord}: the record parser, with
 *     {@link org.sealpost.signing.dmarc.Psd} and {@link org.sealpost.signing.dmarc.Alignment}.</li>
 * </ul>
 * The caller refuses a message with no From field or several before DMARC (RFC 5322 3.6; RFC 9989 4.4
 * leaves such messages out of scope) and gives the domains of the one From field's addresses.
 * Lookups are asynchronous over {@link org.sealpost.dnssec.DnsResolver}; SERVFAIL, a timeout or a
 * DNSSEC-bogus answer on the way makes a temperror.
 */
package org.sealpost.signing.dmarc;
