/**
 * DKIM in the relay (docs/dkim.md): {@link org.sealpost.transport.dkim.DkimSigning} signs what a
 * submission listener accepts, for the configured domains and only for a sender the client may
 * use. Verification on mx listeners is part of the inbound checks
 * ({@link org.sealpost.transport.inbound.InboundChecks}).
 */
package org.sealpost.transport.dkim;
