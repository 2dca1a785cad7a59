package org.sealpost.keyexchange.dane;

import java.util.ArrayList;
import java.util.List;
import org.sealpost.dnssec.TlsaRecord;

/**
 * The usable TLSA records for SMTP. RFC 7672 3.1.3: only DANE-TA(2) and DANE-EE(3); PKIX-TA(0)
 * and PKIX-EE(1) are unusable, as are unknown selectors or matching types and digests of the
 * wrong length. RFC 7671 9: where a stronger digest is published for the same usage and
 * selector, the weaker one is not used.
 */
final class TlsaUsability {

    static final int DANE_TA = 2;
    static final int DANE_EE = 3;
    static final int FULL = 0;
    static final int SHA256 = 1;
    static final int SHA512 = 2;

    private TlsaUsability() {
    }

    static boolean usable(TlsaRecord record) {
        if (record.usage() != DANE_TA && record.usage() != DANE_EE) {
            return false;
        }
        if (record.selector() != 0 && record.selector() != 1) {
            return false;
        }
        int hexLength = record.data().length();
        return switch (record.matchingType()) {
            case FULL -> hexLength > 0 && hexLength % 2 == 0;
            case SHA256 -> hexLength == 64;
            case SHA512 -> hexLength == 128;
            default -> false;
        };
    }

    /** The usable records, the weaker digest dropped where a stronger one stands for the same usage and selector. */
    static List<TlsaRecord> select(List<TlsaRecord> records) {
        List<TlsaRecord> usable = records.stream().filter(TlsaUsability::usable).toList();
        List<TlsaRecord> selected = new ArrayList<>();
        for (TlsaRecord record : usable) {
            boolean stronger = record.matchingType() == SHA256 && usable.stream().anyMatch(other ->
                    other.usage() == record.usage() && other.selector() == record.selector() && other.matchingType() == SHA512);
            if (!stronger) {
                selected.add(record);
            }
        }
        return selected;
    }
}
