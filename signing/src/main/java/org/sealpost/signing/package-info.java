/**
 * What protects a message: DKIM signing and verification, ARC, DMARC, Authentication-Results.
 * The DKIM issue fills this module in; it is empty until then.
 */
package org.sealpost.signing;
