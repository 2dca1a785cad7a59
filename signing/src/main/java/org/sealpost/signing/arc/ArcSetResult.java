package org.sealpost.signing.arc;

import org.sealpost.dnssec.Security;

/**
 * What one ARC set said and how its signatures fared.
 *
 * @param instance              i=
 * @param domain                the seal's d=, the sealer's domain (the one trusted sealers are matched against)
 * @param selector              the seal's s=
 * @param messageDomain         the ARC-Message-Signature's d=
 * @param messageSelector       the ARC-Message-Signature's s=
 * @param cv                    the seal's cv=
 * @param authenticationResults the ARC-Authentication-Results payload after "i=N;": the sealer's authserv-id
 *                              and what it found (dkim=, spf=, dmarc=, ...), unfolded
 * @param messageSignature      PASS, FAIL or NONE when not checked (older signatures past a failing one)
 * @param seal                  PASS, FAIL or NONE when not checked
 * @param sealKeySecurity       the DNSSEC status of the seal's key record, null when it was not checked
 * @param messageKeySecurity    the same for the ARC-Message-Signature's key
 */
public record ArcSetResult(int instance, String domain, String selector, String messageDomain,
        String messageSelector, ArcStatus cv, String authenticationResults, ArcStatus messageSignature,
        ArcStatus seal, Security sealKeySecurity, Security messageKeySecurity) {
}
