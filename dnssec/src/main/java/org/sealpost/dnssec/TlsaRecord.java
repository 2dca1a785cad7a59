package org.sealpost.dnssec;

/**
 * One TLSA record (RFC 6698 2.1): certificate usage, selector, matching type, and the
 * association data as lower-case hex.
 */
public record TlsaRecord(int usage, int selector, int matchingType, String data) {

    @Override
    public String toString() {
        return usage + " " + selector + " " + matchingType + " " + data;
    }
}
