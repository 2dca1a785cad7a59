/**
 * The SMTP client: {@link org.sealpost.transport.smtp.client.SmtpDeliverer} delivers queued
 * messages. An attempt resolves the next hop (route, relayhost or MX), asks the list of TLS policies,
 * and for each host gets a connection from the pool (connect, greeting, EHLO, STARTTLS, verify)
 * and runs the transaction.
 */
package org.sealpost.transport.smtp.client;
