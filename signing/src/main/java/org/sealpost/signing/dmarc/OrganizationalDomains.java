package org.sealpost.signing.dmarc;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The tree walks of one message, each domain walked once (RFC 9989 4.10.2 may need several). */
final class OrganizationalDomains {

    private final TreeWalk walk;
    private final Map<String, CompletableFuture<TreeWalk.Result>> walks = new HashMap<>();

    OrganizationalDomains(TreeWalk walk) {
        this.walk = walk;
    }

    synchronized CompletableFuture<TreeWalk.Result> walk(String normalizedDomain) {
        return walks.computeIfAbsent(normalizedDomain, walk::walk);
    }
}
