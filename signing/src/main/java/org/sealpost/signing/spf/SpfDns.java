package org.sealpost.signing.spf;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.Outcome;

/**
 * The DNS lookups an SPF check makes (RFC 7208 4.4, 5): asynchronous, so that a check never holds a
 * thread while it waits. Each answer says how the lookup ended, as {@link Outcome} does: RFC 7208
 * treats NXDOMAIN and NODATA alike as "no records" (a void lookup, 4.6.4) and SERVFAIL and TIMEOUT
 * as temporary errors.
 */
public interface SpfDns {

    /**
     * The outcome of one lookup and its records (empty unless FOUND); {@code reason} says why a lookup
     * failed, when the resolver said ("" otherwise), so that a temperror can name its cause.
     */
    record Answer<T>(Outcome outcome, List<T> records, String reason) {
        public Answer {
            records = List.copyOf(records);
            reason = reason == null ? "" : reason;
        }

        public Answer(Outcome outcome, List<T> records) {
            this(outcome, records, "");
        }

        public static <T> Answer<T> found(List<T> records) {
            return new Answer<>(records.isEmpty() ? Outcome.NODATA : Outcome.FOUND, records);
        }

        public static <T> Answer<T> failed(Outcome outcome) {
            return new Answer<>(outcome, List.of());
        }

        public static <T> Answer<T> failed(Outcome outcome, String reason) {
            return new Answer<>(outcome, List.of(), reason);
        }

        boolean temporary() {
            return outcome.isTemporary();
        }
    }

    /** TXT records, each record's strings joined with nothing between them (RFC 7208 3.3). */
    CompletableFuture<Answer<String>> txt(String name);

    /** IPv4 addresses (A records). */
    CompletableFuture<Answer<InetAddress>> a(String name);

    /** IPv6 addresses (AAAA records). */
    CompletableFuture<Answer<InetAddress>> aaaa(String name);

    /** The exchange names of the MX records, in any order. */
    CompletableFuture<Answer<String>> mx(String name);

    /** The names of the PTR records at a name such as 4.3.2.1.in-addr.arpa. */
    CompletableFuture<Answer<String>> ptr(String name);

    /** The lookups over Sealpost's resolver (validating, plain or caching). */
    static SpfDns over(DnsResolver resolver) {
        return new ResolverSpfDns(resolver);
    }
}
