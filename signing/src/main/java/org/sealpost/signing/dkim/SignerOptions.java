package org.sealpost.signing.dkim;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the signer signs.
 *
 * @param headerCanonicalization c= before the slash (relaxed by default)
 * @param bodyCanonicalization   c= after the slash (relaxed by default)
 * @param headers     the header names to sign, each as often as present; empty means {@link #DEFAULT_HEADERS}
 *                    plus every List-* field present whose name h= can hold. Bcc is never signed. Names, here
 *                    and in {@code oversigned}, are printable ASCII without ':' or ';'
 * @param oversigned  names listed once more than present, so that an added field breaks the signature
 *                    (RFC 6376 8.15); case-insensitive
 * @param expiration  x= this long after t=, when present
 * @param bodyLength  write l= with the canonical body length (RFC 6376 8.2 explains why this is risky; off by default)
 * @param clock       the source of t=
 * @param maxHeaderBytes the largest header section accepted
 */
public record SignerOptions(Canonicalization headerCanonicalization, Canonicalization bodyCanonicalization,
        List<String> headers, Set<String> oversigned, Optional<Duration> expiration, boolean bodyLength, Clock clock,
        int maxHeaderBytes) {

    /** The fields a reader sees or that shape how the body is shown (RFC 6376 5.4.1). */
    public static final List<String> DEFAULT_HEADERS = List.of("From", "To", "Cc", "Subject", "Date", "Message-ID",
            "In-Reply-To", "References", "Reply-To", "MIME-Version", "Content-Type", "Content-Transfer-Encoding");

    public static final Set<String> DEFAULT_OVERSIGNED = Set.of("From", "To", "Subject", "Date");

    public SignerOptions {
        headers = List.copyOf(headers);
        for (String name : concat(headers, oversigned)) {
            if (!MessageSigning.fitsHeaderList(name)) {
                throw new IllegalArgumentException("header name \"" + name + "\" cannot be signed: h= takes printable"
                        + " ASCII names without ':' or ';' (RFC 6376 3.5)");
            }
        }
        TreeSet<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(oversigned);
        oversigned = java.util.Collections.unmodifiableSet(names);
        if (expiration.isPresent() && (expiration.get().isZero() || expiration.get().isNegative())) {
            throw new IllegalArgumentException("expiration must be positive");
        }
    }

    private static List<String> concat(List<String> a, Set<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** relaxed/relaxed, the default header list, From, To, Subject and Date oversigned, no x=, no l=. */
    public static SignerOptions defaults() {
        return new SignerOptions(Canonicalization.RELAXED, Canonicalization.RELAXED, List.of(), DEFAULT_OVERSIGNED,
                Optional.empty(), false, Clock.systemUTC(), 1 << 20);
    }

    public SignerOptions withCanonicalization(Canonicalization header, Canonicalization body) {
        return new SignerOptions(header, body, headers, oversigned, expiration, bodyLength, clock, maxHeaderBytes);
    }

    public SignerOptions withHeaders(List<String> value) {
        return new SignerOptions(headerCanonicalization, bodyCanonicalization, value, oversigned, expiration,
                bodyLength, clock, maxHeaderBytes);
    }

    public SignerOptions withOversigned(Set<String> value) {
        return new SignerOptions(headerCanonicalization, bodyCanonicalization, headers, value, expiration, bodyLength,
                clock, maxHeaderBytes);
    }

    public SignerOptions withExpiration(Duration value) {
        return new SignerOptions(headerCanonicalization, bodyCanonicalization, headers, oversigned,
                Optional.ofNullable(value), bodyLength, clock, maxHeaderBytes);
    }

    public SignerOptions withBodyLength(boolean value) {
        return new SignerOptions(headerCanonicalization, bodyCanonicalization, headers, oversigned, expiration, value,
                clock, maxHeaderBytes);
    }

    public SignerOptions withClock(Clock value) {
        return new SignerOptions(headerCanonicalization, bodyCanonicalization, headers, oversigned, expiration,
                bodyLength, value, maxHeaderBytes);
    }
}
