/**
 * What protects a message: DKIM signing and verification ({@code org.sealpost.signing.dkim}), DMARC
 * ({@code org.sealpost.signing.dmarc}), ARC validation and sealing ({@code org.sealpost.signing.arc});
 * Authentication-Results are still to come.
 */
package org.sealpost.signing;
