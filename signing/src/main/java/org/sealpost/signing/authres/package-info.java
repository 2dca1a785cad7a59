/**
 * Authentication-Results (RFC 8601) as they arrive: {@link
 * org.sealpost.signing.authres.AuthenticationResultsPayload} reads the authserv-id and the results
 * of a field, for the mx listener (which removes arriving fields that claim its authserv-id) and
 * for ARC (which reads what a sealer recorded in its ARC-Authentication-Results).
 */
package org.sealpost.signing.authres;
