/**
 * SPF (RFC 7208): whether a client may send mail for the domain of the MAIL FROM address or, for
 * the null sender, of the HELO name.
 *
 * <p>The face of the package: {@link org.sealpost.signing.spf.SpfChecker} (check_host() and the
 * MAIL FROM/HELO check an MX makes), {@link org.sealpost.signing.spf.SpfVerdict} (the
 * {@link org.sealpost.signing.spf.SpfResult}, a reason and the explanation of a fail) and
 * {@link org.sealpost.signing.spf.SpfDns}, the asynchronous lookups it makes, with
 * {@link org.sealpost.signing.spf.SpfDns#over} to use Sealpost's resolvers.
 *
 * <p>What is checked: every mechanism (all, include, a, mx, ptr, ip4, ip6, exists) with its
 * qualifier and CIDR lengths, the redirect and exp modifiers (others are ignored), macros with
 * their transformers and delimiters (RFC 7208 7), the limits of 4.6.4 (10 terms that query DNS,
 * 2 void lookups, 10 MX and 10 PTR names), which also end loops through include and redirect,
 * IPv4 and IPv6 clients (an IPv4-mapped IPv6 address is the IPv4 client it is).
 *
 * <p>Written here rather than taken from a library: Apache jSPF, the Java implementation in use
 * (Apache James), still gets maintenance releases (1.0.x) but is an RFC 4408 implementation, and
 * its lookups go through its own DNS service rather than Sealpost's asynchronous resolvers; no
 * Java library that claims RFC 7208 was found. The openspf RFC 7208 test suite runs against this
 * package in its tests (SpfSuiteTest).
 */
package org.sealpost.signing.spf;
