package org.sealpost.signing.dkim;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * A new key pair with what to do with it: {@code privateKeyPem} (PKCS#8) for the signer's key file,
 * {@code txtRecord} ("v=DKIM1; k=...; p=...") to publish at selector._domainkey.domain.
 */
public record GeneratedKey(KeyType type, PrivateKey privateKey, PublicKey publicKey, String privateKeyPem,
        String txtRecord) {

    /** The record split into character-strings of at most 255 octets (RFC 1035 3.3.14, RFC 6376 3.6.2.2). */
    public List<String> txtStrings() {
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < txtRecord.length(); i += 255) {
            strings.add(txtRecord.substring(i, Math.min(txtRecord.length(), i + 255)));
        }
        return strings;
    }

    /** A zone-file line for the record, e.g. {@code sel._domainkey IN TXT ( "v=DKIM1; ..." "..." )}. */
    public String zoneFileLine(String selector) {
        StringBuilder line = new StringBuilder(selector).append("._domainkey IN TXT (");
        for (String s : txtStrings()) {
            line.append(" \"").append(s).append('"');
        }
        return line.append(" )").toString();
    }
}
