/**
 * What Sealpost publishes for the domains it receives mail for (docs/mta-sts.md): its MTA-STS
 * policy (RFC 8461), the DNS records that announce it and ask for TLS reports (RFC 8460), and
 * the HTTPS server that serves the policy file when mta_sts_policy_listen is set.
 */
package org.sealpost.transport.publishing;
