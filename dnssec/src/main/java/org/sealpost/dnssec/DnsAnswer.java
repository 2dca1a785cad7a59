package org.sealpost.dnssec;

import java.util.List;

/**
 * The answer to one lookup: its outcome, records, the smallest TTL among them, and how far it can
 * be trusted. {@code reason} explains a failure or a BOGUS status, and is empty otherwise.
 * {@code canonicalName} is the owner of the records after any CNAME chain ("" when not known):
 * RFC 7672 2.2.2 moves the TLSA base domain there when the chain is secure.
 */
public record DnsAnswer<T>(Outcome outcome, List<T> records, long ttlSeconds, Security security,
        String reason, String canonicalName) {

    public DnsAnswer {
        records = List.copyOf(records);
    }

    public static <T> DnsAnswer<T> found(List<T> records, long ttlSeconds, Security security) {
        return new DnsAnswer<>(Outcome.FOUND, records, ttlSeconds, security, "", "");
    }

    public static <T> DnsAnswer<T> failed(Outcome outcome, Security security, String reason) {
        return new DnsAnswer<>(outcome, List.of(), 0, security, reason, "");
    }

    /** The same answer, its records known to be owned by {@code name}. */
    public DnsAnswer<T> ownedBy(String name) {
        return new DnsAnswer<>(outcome, records, ttlSeconds, security, reason, name);
    }

    public boolean found() {
        return outcome == Outcome.FOUND;
    }
}
