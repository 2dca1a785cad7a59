package org.sealpost.keyexchange.pins;

import java.security.PublicKey;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.sealpost.keyexchange.policy.Check;
import org.sealpost.keyexchange.policy.Decision;
import org.sealpost.keyexchange.policy.DeliveryPolicy;
import org.sealpost.keyexchange.policy.Failure;
import org.sealpost.keyexchange.policy.Hop;
import org.sealpost.keyexchange.policy.PeerSession;
import org.sealpost.keyexchange.policy.Rfc8460ResultType;
import org.sealpost.keyexchange.policy.TlsLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pin level (docs/xkeys.md). It follows DANE and MTA-STS in the list of policies, so per MX
 * host it decides only where nothing stronger did: the level after them is may or encrypt, and
 * no static policy fixed it. There, under
 * enforce, a pinned host must offer STARTTLS (no plaintext) and present a pinned or announced
 * key; under testing the message goes and the violation is logged. Where DANE or another
 * source decides, the pin is still made and refreshed, and a violation is only logged.
 */
public final class PinPolicy implements DeliveryPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(PinPolicy.class);

    private final PinCheck check;
    private final PinModes modes;
    private final PinCounters counters;
    private final Clock clock;

    public PinPolicy(PinCheck check, PinModes modes, PinCounters counters, Clock clock) {
        this.check = check;
        this.modes = modes;
        this.counters = counters;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "xkeys";
    }

    /**
     * Decides where the level after DANE and MTA-STS is may or encrypt and no static policy fixed
     * it; there, under enforce, a pinned host must offer STARTTLS (the level is raised to encrypt).
     */
    @Override
    public CompletableFuture<Step> beforeConnect(Hop hop, Decision earlier) {
        PinMode mode = modes.of(hop.domain());
        if (mode == PinMode.OFF || earlier.level() == TlsLevel.NONE) {
            // Off, or TLS off by the operator's choice: nothing to pin or to miss.
            return Step.unchanged(earlier);
        }
        String hostPort = hop.host().toLowerCase(java.util.Locale.ROOT) + ":" + hop.port();
        boolean decides = (earlier.level() == TlsLevel.MAY || earlier.level() == TlsLevel.ENCRYPT) && !earlier.fixed();
        boolean pinned = check.pinned(hostPort, clock.instant()).isPresent();
        Decision decision = earlier;
        if (decides && pinned && mode == PinMode.ENFORCE) {
            decision = earlier.raisedTo(TlsLevel.ENCRYPT, name(), "xkeys", "the host is pinned (pins enforce)");
        }
        Host host = new Host(hostPort, mode, decides, pinned, earlier.decidedBy());
        return CompletableFuture.completedFuture(new Step(decision, (peer, decided) -> host.check(peer)));
    }

    /** One MX host: the pin is made, refreshed and checked in the session. */
    private final class Host {
        private final String hostPort;
        private final PinMode mode;
        private final boolean decides;
        private final boolean pinned;
        private final String otherwise;

        /** @param otherwise the policy that decides where the pin does not, for the log */
        Host(String hostPort, PinMode mode, boolean decides, boolean pinned, String otherwise) {
            this.hostPort = hostPort;
            this.mode = mode;
            this.decides = decides;
            this.pinned = pinned;
            this.otherwise = otherwise;
        }

        CompletableFuture<Check> check(PeerSession peer) {
            return pin(peer).handle((result, error) -> error == null ? judge(result, peer) : failedCheck(error, peer));
        }

        private CompletableFuture<PinCheck.Result> pin(PeerSession peer) {
            PublicKey leaf = peer.tls() && !peer.peerChain().isEmpty() ? peer.peerChain().get(0).getPublicKey() : null;
            String hash = peer.tls() ? XkeysWire.advertisedHash(peer.ehloKeyword(XkeysWire.KEYWORD)) : null;
            return check.check(peer.host(), hostPort, peer.tls() && leaf != null, hash, leaf, () -> fetch(peer), clock.instant());
        }

        private Check judge(PinCheck.Result result, PeerSession peer) {
            if (result.fetched()) {
                counters.fetches.increment();
            }
            String where = peer.host() + ":" + peer.port();
            switch (result.outcome()) {
                case NOT_PINNED -> {
                    if (result.fetched()) {
                        counters.refusedFirstContacts.increment();
                        LOG.warn("xkeys: {}: {}; not pinned", where, result.reason());
                    }
                    return Check.unauthenticated();
                }
                case FIRST_CONTACT -> {
                    counters.firstContacts.increment();
                    LOG.info("xkeys: first contact with {}: {}", where, describe(result));
                    return Check.unauthenticated();
                }
                case HASH_HIT -> {
                    counters.hashHits.increment();
                    return decides ? Check.pass("xkeys") : Check.unauthenticated();
                }
                case ROLLED_OVER -> {
                    counters.rollovers.increment();
                    LOG.info("xkeys: rollover at {}: {}; now {}", where, result.reason(), describe(result));
                    return decides ? Check.pass("xkeys") : Check.unauthenticated();
                }
                default -> {
                    counters.violations.increment();
                    return violation(result.reason(), where);
                }
            }
        }

        private Check failedCheck(Throwable error, PeerSession peer) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (!pinned) {
                LOG.warn("xkeys: {}:{}: cannot pin: {}", peer.host(), peer.port(), cause.getMessage());
                return Check.unauthenticated();
            }
            counters.violations.increment();
            return violation("the pin could not be checked: " + cause.getMessage(), peer.host() + ":" + peer.port());
        }

        private Check violation(String reason, String where) {
            if (decides && mode == PinMode.ENFORCE) {
                LOG.warn("xkeys: refused {}: {} (pins enforce)", where, reason);
                // RFC 8460 has no type for a key pin: validation-failure is its general one.
                return Check.fail("xkeys", Failure.temporary("4.7.5", name(), Rfc8460ResultType.VALIDATION_FAILURE, reason));
            }
            String why = decides ? "pins testing" : "not enforced: " + otherwise + " decides";
            LOG.warn("xkeys: violation at {}: {}; delivering anyway ({})", where, reason, why);
            return Check.unauthenticated();
        }
    }

    private static CompletableFuture<byte[]> fetch(PeerSession peer) {
        return peer.command(XkeysWire.KEYWORD).thenApply(reply -> {
            try {
                return XkeysWire.parseReply(reply.code(), reply.lines());
            } catch (InvalidKeySetException e) {
                throw new CompletionException(e);
            }
        });
    }

    private static String describe(PinCheck.Result result) {
        return result.pin().map(p -> "key set " + p.set().hash() + " (serial " + p.set().serial() + ", keys "
                + p.set().tlsKeys().stream().map(k -> k.substring(0, 16)).toList() + ", next "
                + p.set().nextKeys().stream().map(k -> k.substring(0, 16)).toList() + ", valid until " + p.set().notAfter() + ")")
                .orElse(result.reason());
    }
}
