package org.sealpost.signing.dkim2;

import java.util.List;
import java.util.Optional;
import org.sealpost.signing.dkim.HeaderField;

/**
 * A parsed Message-Instance field (-06 7): its number m=, the hash-sets of h=, and the decoded r=
 * recipe JSON when present (the recipe engine reads it; this class does not judge the JSON).
 */
public record MessageInstance(int m, List<InstanceHash> hashes, Optional<String> recipe, HeaderField field) {

    public MessageInstance {
        hashes = List.copyOf(hashes);
    }

    /** The hash-set for {@code algorithm}, if this instance has one. */
    public Optional<InstanceHash> hash(String algorithm) {
        return hashes.stream().filter(h -> h.algorithm().equals(algorithm)).findFirst();
    }
}
