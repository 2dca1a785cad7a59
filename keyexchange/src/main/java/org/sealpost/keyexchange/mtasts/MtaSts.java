package org.sealpost.keyexchange.mtasts;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sealpost.cache.DurableStore;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MTA-STS client (RFC 8461): for a destination domain, the policy that applies now.
 *
 * <p>Each request looks up the {@code _mta-sts} TXT record (through the DNS answer cache, so it
 * is cheap) and compares its id with the cached policy's:
 * <ul>
 * <li>same id, policy valid: the cached policy; in the last quarter of its max_age it is fetched
 *     again in the background (RFC 8461 5.1, proactive refresh);
 * <li>another id, or nothing cached: the policy is fetched and the request waits for it, at most
 *     {@link StsSettings#firstWait()}; if the fetch fails, a cached policy that has not expired
 *     still applies (RFC 8461 5.1), otherwise there is no policy and the failure is returned for
 *     TLS-RPT;
 * <li>no TXT record, or a failed lookup: a cached policy that has not expired still applies,
 *     since the record only announces changes (RFC 8461 3.1); without one there is no policy.
 * </ul>
 * Policies are held in memory and in the durable store, so a restart does not forget them;
 * concurrent requests for one domain and id share one fetch.
 */
public final class MtaSts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MtaSts.class);

    private final DnsResolver dns;
    private final DurableStore durable;
    private final StsSettings settings;
    private final Clock clock;
    private final StsFetcher fetcher;
    private final LoadingCache<String, Optional<StsPolicy>> memory;
    /** Fetches under way, by "domain id". */
    private final ConcurrentHashMap<String, CompletableFuture<StsPolicy>> inFlight = new ConcurrentHashMap<>();

    /**
     * @param dns the resolver for the TXT record and the policy host's addresses ({@code dns_resolvers})
     * @param durable where fetched policies are kept across restarts, one record per domain
     */
    public MtaSts(DnsResolver dns, DurableStore durable, StsSettings settings, Clock clock) {
        this.dns = dns;
        this.durable = durable;
        this.settings = settings;
        this.clock = clock;
        this.fetcher = new StsFetcher(dns, settings, clock);
        this.memory = Caffeine.newBuilder().maximumSize(10_000).build(this::load);
    }

    /** The policy that applies to mail for {@code domain} now; never completes exceptionally. */
    public CompletableFuture<StsResult> policyFor(String domain) {
        String name = normalize(domain);
        return dns.txt("_mta-sts." + name)
                .thenCompose(answer -> decide(name, answer))
                .exceptionally(e -> new StsResult.Absent(Optional.empty(), "MTA-STS lookup failed: " + cause(e).getMessage()));
    }

    private CompletableFuture<StsResult> decide(String domain, DnsAnswer<String> answer) {
        Instant now = clock.instant();
        Optional<StsPolicy> cached = cached(domain, now);
        StsRecord record;
        try {
            record = record(domain, answer);
        } catch (StsException e) {
            // No usable TXT record is not a TLS-RPT failure: the domain simply announces no policy.
            return CompletableFuture.completedFuture(cached.<StsResult>map(StsResult.Found::new)
                    .orElseGet(() -> new StsResult.Absent(Optional.empty(), e.getMessage())));
        }
        if (cached.isPresent() && cached.get().id().equals(record.id())) {
            if (refreshDue(cached.get(), now)) {
                fetch(domain, record.id()); // the cached policy serves until the new one is in
            }
            return CompletableFuture.completedFuture(new StsResult.Found(cached.get()));
        }
        return fetch(domain, record.id()).copy()
                .orTimeout(settings.firstWait().toMillis(), TimeUnit.MILLISECONDS)
                .handle((policy, error) -> {
                    if (error == null) {
                        return new StsResult.Found(policy);
                    }
                    StsException failure = failure(domain, error);
                    if (cached.isPresent()) {
                        // RFC 8461 5.1: a policy that cannot be refreshed stays in force until it expires.
                        LOG.warn("mta-sts: {}: cannot fetch the policy for id {}, keeping id {} until {}: {}", domain,
                                record.id(), cached.get().id(), cached.get().expires(), failure.getMessage());
                        return new StsResult.Found(cached.get());
                    }
                    LOG.warn("mta-sts: {}: no policy: {} ({})", domain, failure.getMessage(), failure.failure().resultType());
                    return new StsResult.Absent(Optional.of(failure.failure()), failure.getMessage());
                });
    }

    /** The one valid TXT record, or why there is none. */
    private static StsRecord record(String domain, DnsAnswer<String> answer) throws StsException {
        if (!answer.found()) {
            throw new StsException(StsFailure.POLICY_FETCH_ERROR, "_mta-sts." + domain + ": "
                    + (answer.outcome().isTemporary() ? "TXT lookup failed (" + answer.outcome() + ")" : "no TXT record"));
        }
        return StsRecord.select(answer.records());
    }

    /** RFC 8461 5.1: senders should refresh a policy before it expires; here in its last quarter. */
    private static boolean refreshDue(StsPolicy policy, Instant now) {
        return !now.isBefore(policy.fetched().plusSeconds(policy.maxAgeSeconds() - policy.maxAgeSeconds() / 4));
    }

    /** The shared fetch of a domain's policy for an id; the policy is held once it is in. */
    private CompletableFuture<StsPolicy> fetch(String domain, String id) {
        String key = domain + " " + id;
        CompletableFuture<StsPolicy> mine = new CompletableFuture<>();
        CompletableFuture<StsPolicy> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        fetcher.fetch(domain, id).whenComplete((policy, error) -> {
            if (error == null) {
                hold(domain, policy);
            } else {
                LOG.info("mta-sts: {}: fetch for id {} failed: {}", domain, id, failure(domain, error).getMessage());
            }
            inFlight.remove(key, mine);
            if (error == null) {
                mine.complete(policy);
            } else {
                mine.completeExceptionally(error);
            }
        });
        return mine;
    }

    /** A fetched policy replaces the held one, in memory and on disk; a max_age of 0 is never held. */
    private void hold(String domain, StsPolicy policy) {
        LOG.info("mta-sts: {}: policy id={} mode={} max_age={} mx={}", domain, policy.id(), policy.mode().text(),
                policy.maxAgeSeconds(), String.join(",", policy.mx()));
        if (policy.maxAgeSeconds() == 0) {
            forget(domain);
            return;
        }
        boolean[] newer = new boolean[1];
        memory.asMap().compute(domain, (key, held) -> {
            // A slow fetch for an older id must not replace a policy fetched after it.
            if (held != null && held.isPresent() && held.get().fetched().isAfter(policy.fetched())) {
                return held;
            }
            newer[0] = true;
            return Optional.of(policy);
        });
        if (!newer[0]) {
            return;
        }
        try {
            durable.put(domain, policy.encode());
        } catch (IOException e) {
            LOG.warn("mta-sts: {}: cannot store the policy durably ({}); it is held in memory only", domain, e.getMessage());
        }
    }

    /** The held policy unless it has expired; an expired one is dropped (RFC 8461 5.1). */
    private Optional<StsPolicy> cached(String domain, Instant now) {
        Optional<StsPolicy> held = memory.get(domain);
        if (held.isPresent() && !held.get().isValidAt(now)) {
            forget(domain);
            return Optional.empty();
        }
        return held;
    }

    private void forget(String domain) {
        memory.put(domain, Optional.empty());
        try {
            durable.remove(domain);
        } catch (IOException e) {
            LOG.warn("mta-sts: {}: cannot remove the stored policy ({})", domain, e.getMessage());
        }
    }

    private Optional<StsPolicy> load(String domain) {
        try {
            Optional<byte[]> stored = durable.get(domain);
            return stored.isEmpty() ? Optional.empty() : Optional.of(StsPolicy.decode(stored.get()));
        } catch (IOException | StsException e) {
            // An unreadable record is set aside by the store; the policy is fetched again.
            return Optional.empty();
        }
    }

    private static StsException failure(String domain, Throwable error) {
        Throwable cause = cause(error);
        if (cause instanceof StsException sts) {
            return sts;
        }
        if (cause instanceof TimeoutException) {
            return new StsException(StsFailure.POLICY_FETCH_ERROR, "the policy of " + domain
                    + " was not fetched in time");
        }
        return new StsException(StsFailure.POLICY_FETCH_ERROR, "cannot fetch the policy of " + domain + ": "
                + cause.getMessage());
    }

    private static Throwable cause(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String normalize(String domain) {
        String lower = domain.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    @Override
    public void close() {
        fetcher.close();
    }
}
