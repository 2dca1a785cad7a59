/**
 * The inbound checks of an mx listener (docs/verification.md): SPF at MAIL FROM, DKIM and ARC while the
 * content arrives, DMARC at its end (a trusted ARC sealer may rescue its failure), one
 * {@link org.sealpost.transport.inbound.InboundVerdict} and
 * one Authentication-Results field (RFC 8601). {@link org.sealpost.transport.inbound.InboundChecks}
 * is the step the listener runs and {@code sealpost auth check} runs from the shell;
 * {@link org.sealpost.transport.inbound.DmarcMode} is the per-listener setting;
 * {@link org.sealpost.transport.inbound.SigningPolicy} reads the signing policy of the From domains' MX
 * hosts from the held XKEYS pins (docs/xkeys.md), under {@link org.sealpost.transport.inbound.SigningPolicyMode}.
 */
package org.sealpost.transport.inbound;
