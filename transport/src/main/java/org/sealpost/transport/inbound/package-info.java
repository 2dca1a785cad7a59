/**
 * The inbound checks of an mx listener (docs/verification.md): SPF at MAIL FROM, DKIM and ARC while the
 * content arrives, DMARC at its end (a trusted ARC sealer may rescue its failure), one
 * {@link org.sealpost.transport.inbound.InboundVerdict} and
 * one Authentication-Results field (RFC 8601). {@link org.sealpost.transport.inbound.InboundChecks}
 * is the step the listener runs and {@code sealpost auth check} runs from the shell;
 * {@link org.sealpost.transport.inbound.DmarcMode} is the per-listener setting.
 */
package org.sealpost.transport.inbound;
