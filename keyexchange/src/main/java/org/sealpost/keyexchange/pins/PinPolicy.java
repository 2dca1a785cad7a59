package org.sealpost.keyexchange.pins;

import java.security.PublicKey;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.sealpost.keyexchange.policy.HopPolicy;
import org.sealpost.keyexchange.policy.PeerSession;
import org.sealpost.keyexchange.policy.PolicyLayer;
import org.sealpost.keyexchange.policy.TlsLevel;
import org.sealpost.keyexchange.policy.Verification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pin level (docs/xkeys.md). Per MX host it decides only where nothing stronger did: the
 * level after DANE and MTA-STS is may or encrypt, and no static policy named it. There, under
 * enforce, a pinned host must offer STARTTLS (no plaintext) and present a pinned or announced
 * key; under testing the message goes and the violation is logged. Where DANE or another
 * source decides, the pin is still made and refreshed, and a violation is only logged.
 */
public final class PinPolicy implements PolicyLayer {

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
    public HopPolicy around(String domain, HopPolicy decided) {
        PinMode mode = modes.of(domain);
        return mode == PinMode.OFF ? decided : new DomainLayer(decided, mode);
    }

    /** The domain's policy, unchanged until {@link #forHost} names the host. */
    private final class DomainLayer implements HopPolicy {
        private final HopPolicy inner;
        private final PinMode mode;

        DomainLayer(HopPolicy inner, PinMode mode) {
            this.inner = inner;
            this.mode = mode;
        }

        @Override
        public TlsLevel level() {
            return inner.level();
        }

        @Override
        public String source() {
            return inner.source();
        }

        @Override
        public Verification verify(String mxHost, List<Certificate> peerChain) {
            return inner.verify(mxHost, peerChain);
        }

        @Override
        public CompletableFuture<HopPolicy> forHost(String host, int port, String nextHopDomain, boolean mxSecure) {
            return inner.forHost(host, port, nextHopDomain, mxSecure).thenApply(narrowed -> new HostLayer(narrowed, host, port, mode));
        }

        @Override
        public String toString() {
            return inner + " with pins " + mode.configName();
        }
    }

    /** One MX host: the pin raises the level under enforce and checks the session. */
    private final class HostLayer implements HopPolicy {
        private final HopPolicy inner;
        private final String hostPort;
        private final PinMode mode;
        private final boolean decides;
        private final boolean pinned;

        HostLayer(HopPolicy inner, String host, int port, PinMode mode) {
            this.inner = inner;
            this.hostPort = host.toLowerCase(java.util.Locale.ROOT) + ":" + port;
            this.mode = mode;
            this.decides = (inner.level() == TlsLevel.MAY || inner.level() == TlsLevel.ENCRYPT)
                    && !inner.source().equals("static");
            this.pinned = check.pinned(hostPort, clock.instant()).isPresent();
        }

        @Override
        public TlsLevel level() {
            // A pinned host must offer STARTTLS: under enforce there is no plaintext to fall back to.
            return decides && pinned && mode == PinMode.ENFORCE ? TlsLevel.ENCRYPT : inner.level();
        }

        @Override
        public String source() {
            return decides && pinned ? inner.source() + "/pin-" + mode.configName() : inner.source();
        }

        @Override
        public Verification verify(String mxHost, List<Certificate> peerChain) {
            return inner.verify(mxHost, peerChain);
        }

        @Override
        public CompletableFuture<HopPolicy> forHost(String host, int port, String nextHopDomain, boolean mxSecure) {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public CompletableFuture<Verification> check(PeerSession peer) {
            if (inner.level() == TlsLevel.NONE) {
                return inner.check(peer); // TLS is off by the operator's choice: nothing to pin or to miss
            }
            return inner.check(peer).thenCompose(verification -> verification.passed()
                    ? pin(peer).handle((result, error) -> error == null ? judge(result, verification, peer)
                            : failedCheck(error, verification, peer))
                    : CompletableFuture.completedFuture(verification));
        }

        private CompletableFuture<PinCheck.Result> pin(PeerSession peer) {
            PublicKey leaf = peer.tls() && !peer.peerChain().isEmpty() ? peer.peerChain().get(0).getPublicKey() : null;
            String hash = peer.tls() ? XkeysWire.advertisedHash(peer.ehloKeyword(XkeysWire.KEYWORD)) : null;
            return check.check(peer.host(), hostPort, peer.tls() && leaf != null, hash, leaf, () -> fetch(peer), clock.instant());
        }

        private Verification judge(PinCheck.Result result, Verification verification, PeerSession peer) {
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
                    return verification;
                }
                case FIRST_CONTACT -> {
                    counters.firstContacts.increment();
                    LOG.info("xkeys: first contact with {}: {}", where, describe(result));
                    return verification;
                }
                case HASH_HIT -> {
                    counters.hashHits.increment();
                    return decides ? new Verification(true, "xkeys", "") : verification;
                }
                case ROLLED_OVER -> {
                    counters.rollovers.increment();
                    LOG.info("xkeys: rollover at {}: {}; now {}", where, result.reason(), describe(result));
                    return decides ? new Verification(true, "xkeys", "") : verification;
                }
                default -> {
                    counters.violations.increment();
                    return violation(result.reason(), verification, where);
                }
            }
        }

        private Verification failedCheck(Throwable error, Verification verification, PeerSession peer) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (!pinned) {
                LOG.warn("xkeys: {}:{}: cannot pin: {}", peer.host(), peer.port(), cause.getMessage());
                return verification;
            }
            counters.violations.increment();
            return violation("the pin could not be checked: " + cause.getMessage(), verification, peer.host() + ":" + peer.port());
        }

        private Verification violation(String reason, Verification verification, String where) {
            if (decides && mode == PinMode.ENFORCE) {
                LOG.warn("xkeys: refused {}: {} (pins enforce)", where, reason);
                return Verification.failed("xkeys", reason);
            }
            String why = decides ? "pins testing" : "not enforced: " + inner.source() + " decides";
            LOG.warn("xkeys: violation at {}: {}; delivering anyway ({})", where, reason, why);
            return verification;
        }

        @Override
        public String toString() {
            return level().configName() + " (" + source() + ")";
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
