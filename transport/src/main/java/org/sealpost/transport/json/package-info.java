/** The JSON text Sealpost writes without a library: one string encoder, shared by its JSON outputs. */
package org.sealpost.transport.json;
