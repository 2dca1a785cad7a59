package org.sealpost.signing.dkim2;

import java.util.List;
import java.util.Optional;
import org.sealpost.signing.dkim.HeaderField;

/**
 * A parsed DKIM2-Signature field (-06 8). {@code mailFrom} and {@code rcptTo} are the decoded
 * reverse-path and forward-paths with their angle brackets ("&lt;&gt;" for the null sender); they are
 * absent, and {@code nextDomain} present, for an nd= signature (-06 8.7).
 */
public record Dkim2Signature(int i, int m, long timestamp, Optional<String> nonce, Optional<String> mailFrom,
        List<String> rcptTo, Optional<String> nextDomain, String domain, List<SigSet> sigSets, List<String> flags,
        HeaderField field) {

    public Dkim2Signature {
        rcptTo = List.copyOf(rcptTo);
        sigSets = List.copyOf(sigSets);
        flags = List.copyOf(flags);
    }

    /** Whether f= carries {@code flag} (-06 8.10; flags are compared as written, unknown ones ignored). */
    public boolean hasFlag(String flag) {
        return flags.contains(flag);
    }

    /** The d= domain in lower case, as the custody and replay checks compare it (-06 11.4). */
    public String domainLower() {
        return Dkim2Wire.lower(domain);
    }
}
