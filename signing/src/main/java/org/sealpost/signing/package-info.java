/**
 * What protects a message: DKIM signing and verification ({@code org.sealpost.signing.dkim}), DMARC
 * ({@code org.sealpost.signing.dmarc}), ARC validation and sealing ({@code org.sealpost.signing.arc});
 * the Authentication-Results fields that arrive ({@code org.sealpost.signing.authres}), SPF
 * ({@code org.sealpost.signing.spf}).
 */
package org.sealpost.signing;
