package org.sealpost.keyexchange.dane;

import java.util.List;
import org.sealpost.dnssec.TlsaRecord;

/**
 * What the DNS says about one MX host (RFC 7672 2.2): no DANE; DANE with these usable records;
 * TLS required but unauthenticated (secure TLSA records that are all unusable, 2.2 and 3.1.3);
 * or defer this host (a BOGUS or failed lookup, which never means "no DANE").
 */
public record TlsaDecision(Kind kind, List<TlsaRecord> records, String baseDomain, String reason) {

    public enum Kind { NO_DANE, DANE, ENCRYPT, DEFER }

    public TlsaDecision {
        records = List.copyOf(records);
    }

    static TlsaDecision of(Kind kind, String baseDomain, String reason) {
        return new TlsaDecision(kind, List.of(), baseDomain, reason);
    }
}
