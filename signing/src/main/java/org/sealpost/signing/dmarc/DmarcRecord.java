package org.sealpost.signing.dmarc;

import java.util.List;
import java.util.Optional;

/**
 * A DMARC Policy Record as published at {@code _dmarc.DOMAIN} (RFC 9989 4.7). Tags with invalid
 * values take their defaults (RFC 9989 4.8); an invalid or missing p=, or an invalid sp= or np=,
 * is kept in {@code problems} because it decides whether the record can be applied at all
 * (RFC 9989 4.10.1). pct=, rf= and ri= are gone from RFC 9989 (Appendix C.5.2) and, like every
 * unknown tag, ignored.
 *
 * @param text              the record as published (its strings joined)
 * @param policy            p=, when valid
 * @param subdomainPolicy   sp=, when valid
 * @param nonExistentPolicy np=, when valid
 * @param psd               psd= (default u)
 * @param testing           t=y (default n)
 * @param dkimAlignment     adkim= (default r)
 * @param spfAlignment      aspf= (default r)
 * @param rua               rua= as written ("" when absent)
 * @param ruf               ruf= as written ("" when absent)
 * @param failureOptions    fo= as written ("" when absent: the default 0)
 * @param problems          what is wrong with p=, sp= or np=; empty when they are usable
 */
public record DmarcRecord(String text, Optional<Policy> policy, Optional<Policy> subdomainPolicy,
        Optional<Policy> nonExistentPolicy, Psd psd, boolean testing, Alignment dkimAlignment,
        Alignment spfAlignment, String rua, String ruf, String failureOptions, List<String> problems) {

    public DmarcRecord {
        problems = List.copyOf(problems);
    }

    /** The record, or empty when the text is not a DMARC record (v=DMARC1 is not its first tag). */
    public static Optional<DmarcRecord> parse(String text) {
        return RecordParser.parse(text);
    }

    /** p=, sp= and np= are usable as published. */
    public boolean policyValid() {
        return problems.isEmpty();
    }

    /**
     * RFC 9989 4.10.1: a record without a valid p=, or with an invalid sp= or np=, is applied as
     * p=none when rua= holds at least one valid URI; otherwise DMARC does not apply it at all.
     */
    public boolean applicableAsNone() {
        return !policyValid() && RecordParser.hasValidUri(rua);
    }
}
