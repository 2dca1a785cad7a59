/**
 * The WebPKI levels verify and secure: the peer's chain must lead to a trusted certificate
 * authority and carry the expected name. {@link org.sealpost.keyexchange.pkix.PkixPolicy} is the face.
 */
package org.sealpost.keyexchange.pkix;
