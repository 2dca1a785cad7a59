/**
 * The SMTP server: {@link org.sealpost.transport.smtp.server.SmtpServer} runs one listener;
 * each connection's pipeline is the TLS handler (after STARTTLS), the per-client connection
 * limit, the idle timer, the decoder, and the session: one class, one method per verb.
 */
package org.sealpost.transport.smtp.server;
