/**
 * SMTP TLS reporting (RFC 8460, docs/tlsrpt.md): {@link org.sealpost.transport.tlsrpt.TlsReporting}
 * counts each outbound session under the {@link org.sealpost.transport.tlsrpt.AppliedPolicy} that
 * held it (a success, or a {@link org.sealpost.transport.tlsrpt.FailureDetail} with its
 * {@link org.sealpost.transport.tlsrpt.ResultType}), keeps the counts per UTC day in
 * {@code queue_directory/tlsrpt}, and sends one aggregate report per day and policy domain to the
 * addresses of the domain's {@link org.sealpost.transport.tlsrpt.TlsRptRecord}: mailed through the
 * queue, DKIM-signed, or POSTed over https.
 */
package org.sealpost.transport.tlsrpt;
