/**
 * DKIM and ARC signing in the relay (docs/dkim.md, docs/verification.md):
 * {@link org.sealpost.transport.dkim.DkimSigning} signs what a submission listener accepts, for the
 * configured domains and only for a sender the client may use;
 * {@link org.sealpost.transport.dkim.ArcForwardSealing} ARC-seals what a submission listener passes
 * on after an mx listener of ours checked it (arc_seal). Verification on mx listeners is part of the
 * inbound checks ({@link org.sealpost.transport.inbound.InboundChecks}).
 */
package org.sealpost.transport.dkim;
