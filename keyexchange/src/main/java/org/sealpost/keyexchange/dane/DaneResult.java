package org.sealpost.keyexchange.dane;

/**
 * How a presented chain fared against the TLSA records: matched as DANE-EE or DANE-TA (with the
 * record that matched), or not matched, with the reason for the log and the deferral.
 */
public record DaneResult(boolean matched, String method, String record, String reason) {

    static DaneResult match(String method, String record) {
        return new DaneResult(true, method, record, "");
    }

    static DaneResult noMatch(String reason) {
        return new DaneResult(false, "none", "", reason);
    }
}
