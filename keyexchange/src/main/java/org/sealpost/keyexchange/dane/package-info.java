/**
 * DANE for SMTP (RFC 7672, RFC 7671): which TLSA records are usable, and whether the chain a
 * peer presents matches one of them. {@link org.sealpost.keyexchange.dane.DaneMatcher} is the face.
 */
package org.sealpost.keyexchange.dane;
