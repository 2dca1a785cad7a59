package org.sealpost.dnssec;

/**
 * One MX record. The host is the exchange name without the trailing dot; "" is the null MX of
 * RFC 7505 (the root name as exchange).
 */
public record MxRecord(int preference, String host) {

    /** RFC 7505 3: a single MX of preference 0 naming the root says the domain accepts no mail. */
    public boolean isNullMx() {
        return host.isEmpty();
    }

    @Override
    public String toString() {
        return preference + " " + (host.isEmpty() ? "." : host);
    }
}
