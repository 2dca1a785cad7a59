/**
 * What protects a message: DKIM signing and verification ({@code org.sealpost.signing.dkim});
 * ARC, DMARC and Authentication-Results are still to come.
 */
package org.sealpost.signing;
