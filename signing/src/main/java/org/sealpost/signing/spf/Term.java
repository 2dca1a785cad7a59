package org.sealpost.signing.spf;

import java.net.InetAddress;

/** One term of an SPF record (RFC 7208 4.6.1): a directive (qualifier and mechanism) or a modifier. */
sealed interface Term permits Term.Directive, Term.Modifier {

    /** The mechanisms of RFC 7208 5. */
    enum Mechanism {
        ALL, INCLUDE, A, MX, PTR, IP4, IP6, EXISTS;

        /** RFC 7208 4.6.4: the terms that cause DNS queries count toward the limit of 10. */
        boolean queriesDns() {
            return this == INCLUDE || this == A || this == MX || this == PTR || this == EXISTS;
        }
    }

    /**
     * A qualifier and mechanism. {@code domain} is the domain-spec (null where the mechanism takes
     * none or it was left out); {@code network} the address of ip4/ip6; the CIDR lengths apply to
     * ip4, ip6, a and mx (32 and 128 when not given).
     */
    record Directive(SpfResult qualifier, Mechanism mechanism, MacroString domain, InetAddress network,
            int cidr4, int cidr6, String text) implements Term {
    }

    /** name=value; redirect and exp are the two RFC 7208 6 defines, others are ignored (6). */
    record Modifier(String name, MacroString value, String text) implements Term {
    }
}
