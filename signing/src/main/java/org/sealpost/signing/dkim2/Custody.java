package org.sealpost.signing.dkim2;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The checks of a chain that need no key: timestamps (-06 11.3), the chain of custody from hop to
 * hop (-06 9.2 to 9.4, 11.4), and the newest hop's envelope against this transaction's (-06 11.4,
 * replay). Each returns null when the check passes, or the reason it failed.
 */
final class Custody {

    private Custody() {
    }

    /** -06 11.3: a signature more than {@code maxAge} old has expired; one from the future is not accepted either. */
    static String timestamps(List<Dkim2Signature> signatures, Instant now, Duration maxAge, Duration skew) {
        for (Dkim2Signature sig : signatures) {
            if (sig.timestamp() > now.getEpochSecond() + skew.getSeconds()) {
                return Dkim2Wire.SIGNATURE_FIELD + " i=" + sig.i() + " timestamp t=" + sig.timestamp() + " is in the future";
            }
            if (sig.timestamp() < now.getEpochSecond() - maxAge.getSeconds()) {
                return Dkim2Wire.SIGNATURE_FIELD + " i=" + sig.i() + " signature expired";
            }
        }
        return null;
    }

    /** -06 8.8: the MAIL FROM domain is d= or below it, unless MAIL FROM is null. */
    static String mailFromInDomain(Dkim2Signature sig) {
        if (sig.mailFrom().isEmpty()) {
            return null;
        }
        String domain = Dkim2Wire.domainOf(sig.mailFrom().get());
        if (sig.mailFrom().get().equals("<>") || Dkim2Wire.relaxedMatch(domain, sig.domain())) {
            return null;
        }
        return Dkim2Wire.SIGNATURE_FIELD + " i=" + sig.i() + " MAIL FROM and d= do not match (" + sig.mailFrom().get()
                + ", d=" + sig.domain() + ")";
    }

    /**
     * -06 9.4, 11.4: each hop after the first came from a domain the hop before it sent to. After an
     * ordinary hop, the next hop's MAIL FROM domain (its d= for an nd= hop, -06 9.3) relaxed-matches a
     * recipient domain of rt=; after an nd= hop, the next d= is exactly nd=.
     */
    static String chain(List<Dkim2Signature> signatures) {
        for (int k = 0; k < signatures.size(); k++) {
            Dkim2Signature sig = signatures.get(k);
            String own = mailFromInDomain(sig);
            if (own != null) {
                return own;
            }
            if (k == 0) {
                continue;
            }
            String link = link(signatures.get(k - 1), sig);
            if (link != null) {
                return link;
            }
        }
        return null;
    }

    /** Whether {@code next} may follow {@code previous}: null when it may, else why not. */
    static String link(Dkim2Signature previous, Dkim2Signature next) {
        if (previous.nextDomain().isPresent()) {
            if (previous.nextDomain().get().equalsIgnoreCase(next.domain())) {
                return null;
            }
            return Dkim2Wire.SIGNATURE_FIELD + " i=" + previous.i() + " MAIL nd= does not match (nd="
                    + previous.nextDomain().get() + ", d=" + next.domain() + " in i=" + next.i() + ")";
        }
        String from = next.mailFrom().map(Dkim2Wire::domainOf).orElse(next.domainLower());
        for (String rcpt : previous.rcptTo()) {
            if (Dkim2Wire.relaxedMatch(from, Dkim2Wire.domainOf(rcpt))) {
                return null;
            }
        }
        return Dkim2Wire.SIGNATURE_FIELD + " i=" + next.i() + " breaks the chain of custody: "
                + (next.mailFrom().isPresent() ? "MAIL FROM " + next.mailFrom().get() : "d=" + next.domain())
                + " is not in a domain i=" + previous.i() + " sent to (rt=" + String.join(",", previous.rcptTo()) + ")";
    }

    /**
     * -06 11.4, 11.9: the newest hop's mf= is this transaction's MAIL FROM exactly, and every RCPT TO
     * of it is in rt= (rt= may list more). An nd= on the newest hop cannot be checked against any
     * envelope: unless out-of-band arrangements are known ({@code acceptNextDomain}) it is an error.
     */
    static String envelope(Dkim2Signature newest, Dkim2Envelope envelope, boolean acceptNextDomain) {
        if (newest.nextDomain().isPresent()) {
            return acceptNextDomain ? null : Dkim2Wire.SIGNATURE_FIELD + " i=" + newest.i() + " unexpected nd= tag";
        }
        if (!Dkim2Wire.samePath(newest.mailFrom().orElseThrow(), envelope.reversePath())) {
            return Dkim2Wire.SIGNATURE_FIELD + " i=" + newest.i() + " MAIL FROM " + envelope.reversePath()
                    + " did not match (mf=" + newest.mailFrom().get() + ")";
        }
        for (String rcpt : envelope.forwardPaths()) {
            if (newest.rcptTo().stream().noneMatch(r -> Dkim2Wire.samePath(r, rcpt))) {
                return Dkim2Wire.SIGNATURE_FIELD + " i=" + newest.i() + " RCPT TO " + rcpt + " did not match";
            }
        }
        return null;
    }
}
