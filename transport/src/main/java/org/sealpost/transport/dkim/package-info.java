/**
 * DKIM in the relay (docs/dkim.md): {@link org.sealpost.transport.dkim.DkimSigning} signs what a
 * submission listener accepts, for the configured domains and only for a sender the client may
 * use; {@link org.sealpost.transport.dkim.DkimVerifying} verifies what an mx listener accepts and
 * keeps the results with the message.
 */
package org.sealpost.transport.dkim;
