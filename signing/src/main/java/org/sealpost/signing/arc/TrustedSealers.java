package org.sealpost.signing.arc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.sealpost.signing.authres.AuthenticationResultsPayload;

/**
 * The {@code arc_trusted_sealers} check: whether a passing chain carries a trusted sealer's word that
 * DMARC passed before the message reached it (the forwarding and mailing-list case of RFC 8617 7.2 and
 * RFC 9989's local-policy exception).
 *
 * <p>Only the newest set counts. Its sealer handed the message to us, and a passing chain only proves
 * that the sets are intact, not that the message is as an older sealer saw it: an untrusted hop between
 * a trusted sealer and us could have rewritten it and sealed the result. RFC 8617 7.2 leaves the choice
 * to local policy. A sealer matches a listed domain when its seal's d= is that domain or a subdomain of it.
 */
public final class TrustedSealers {

    private final List<String> domains;

    public TrustedSealers(Collection<String> domains) {
        List<String> lower = new ArrayList<>();
        for (String d : domains) {
            String name = d.trim().toLowerCase(Locale.ROOT);
            lower.add(name.endsWith(".") ? name.substring(0, name.length() - 1) : name);
        }
        this.domains = List.copyOf(lower);
    }

    /**
     * The newest set, when the chain passed, it was sealed by a trusted sealer, and its
     * ARC-Authentication-Results say {@code dmarc=pass}; empty otherwise.
     */
    public Optional<ArcSetResult> vouchesForDmarc(ArcResult result) {
        if (result.status() != ArcStatus.PASS) {
            return Optional.empty();
        }
        return result.newest().filter(set -> isTrusted(set.domain()))
                .filter(set -> "pass".equals(result(set.authenticationResults(), "dmarc")));
    }

    /**
     * The newest set of a chain that failed only for a DNS reason (a seal's or signature's key could not be
     * had), when that set is a trusted sealer's and recorded dmarc=pass: once the key can be had, the chain may
     * well pass and vouch. A verdict waits on it instead of acting on the failure.
     */
    public Optional<ArcSetResult> mightVouchForDmarc(ArcResult result) {
        if (result.status() != ArcStatus.FAIL || !result.temporary()) {
            return Optional.empty();
        }
        return result.newest().filter(set -> isTrusted(set.domain()))
                .filter(set -> "pass".equals(result(set.authenticationResults(), "dmarc")));
    }

    /** Whether {@code domain} is a listed sealer or under one. */
    public boolean isTrusted(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return domains.stream().anyMatch(t -> d.equals(t) || d.endsWith("." + t));
    }

    /** The result of {@code method} in an ARC-Authentication-Results payload, lower case; null when absent. */
    static String result(String payload, String method) {
        return AuthenticationResultsPayload.parse(payload).result(method).orElse(null);
    }
}
