/**
 * The running relay wired with constructors: {@link org.sealpost.transport.relay.Relay} starts
 * the queue, the SMTP client with its DNS resolver and list of TLS policies, and the listeners.
 * {@link org.sealpost.transport.relay.StartChecks} finds what a start would fail on, without starting.
 */
package org.sealpost.transport.relay;
