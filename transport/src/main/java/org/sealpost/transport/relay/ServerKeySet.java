package org.sealpost.transport.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.sealpost.cache.DurableStore;
import org.sealpost.keyexchange.pins.InvalidKeySetException;
import org.sealpost.keyexchange.pins.KeySet;
import org.sealpost.transport.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key set this host advertises with XKEYS (docs/xkeys.md), kept in the state store so that
 * its hash stays the same across restarts: a new set, with the next serial and linked to the old
 * one, is signed only when the keys change or half of the old set's lifetime has passed. A running
 * relay asks {@link #renewIfDue} every ten seconds, so that its set never runs out while it runs and a
 * next key written to the configured tls_next_cert_file is announced without a restart; a reload
 * (SIGHUP) hands it the certificates of the configuration as it reads now, so that a newly
 * configured tls_next_cert_file, or a switch of tls_cert_file to the next key, needs no restart either.
 */
final class ServerKeySet implements Supplier<KeySet> {

    static final String RECORD = "xkeys-key-set";

    private static final Logger LOG = LoggerFactory.getLogger(ServerKeySet.class);

    private final String hostname;
    private volatile List<String> current;
    private volatile Optional<Path> nextCertificate;
    private volatile List<String> next;
    private final List<KeySet.Dkim> dkim;
    private volatile PrivateKey key;
    private volatile Path keyFile;
    private final Duration lifetime;
    private final DurableStore state;
    private final Clock clock;
    private volatile KeySet set;

    private ServerKeySet(String hostname, TlsKeyPair pair, Optional<Path> nextCertificate, List<KeySet.Dkim> dkim,
            Duration lifetime, DurableStore state, Clock clock) throws IOException {
        this.hostname = hostname;
        this.current = List.of(KeySet.spkiSha256(pair.leaf().getPublicKey()));
        this.nextCertificate = nextCertificate;
        this.next = nextKeys(nextCertificate);
        this.dkim = List.copyOf(dkim);
        this.key = pair.key();
        this.keyFile = pair.keyFile();
        this.lifetime = lifetime;
        this.state = state;
        this.clock = clock;
    }

    static ServerKeySet load(String hostname, Path certificate, Path key, Optional<Path> nextCertificate, Duration lifetime,
            DurableStore state, Clock clock) throws ConfigException, IOException {
        return load(hostname, TlsKeyPair.read(certificate, key), nextCertificate, List.of(), lifetime, state, clock);
    }

    /** @param dkim the domains this host signs mail for, with selector and algorithm */
    static ServerKeySet load(String hostname, TlsKeyPair pair, Optional<Path> nextCertificate,
            List<KeySet.Dkim> dkim, Duration lifetime, DurableStore state, Clock clock) throws ConfigException, IOException {
        ServerKeySet keys = new ServerKeySet(hostname, pair, nextCertificate, dkim, lifetime, state, clock);
        keys.set = keys.renewed(keys.stored());
        return keys;
    }

    /**
     * Advertises the keys of a reloaded configuration: {@code pair} as the current key (the one the
     * listeners now present) and the certificate at {@code nextCertificate} as the next one.
     */
    synchronized void reload(TlsKeyPair pair, Optional<Path> nextCertificate) throws IOException, ConfigException {
        List<String> announced = nextKeys(nextCertificate); // a bad file throws before anything changes
        this.nextCertificate = nextCertificate;
        this.current = List.of(KeySet.spkiSha256(pair.leaf().getPublicKey()));
        this.key = pair.key();
        this.keyFile = pair.keyFile();
        announce(announced);
        renew();
    }

    /** The set advertised now. */
    @Override
    public KeySet get() {
        return set;
    }

    /** The key of tls_next_cert_file, when the file is there: an absent file announces nothing yet. */
    private static List<String> nextKeys(Optional<Path> file) throws StartupFailure {
        return file.isPresent() && Files.exists(file.get())
                ? List.of(KeySet.spkiSha256(TlsKeyPair.certificates("tls_next_cert_file", file.get()).get(0).getPublicKey()))
                : List.of();
    }

    /**
     * Signs and stores a new set when the advertised one is past half its lifetime, or when
     * tls_next_cert_file appeared, changed or went away (a next key is announced without a restart).
     */
    synchronized void renewIfDue() throws IOException, ConfigException {
        announce(nextKeys(nextCertificate));
        renew();
    }

    private void announce(List<String> announced) {
        if (!announced.equals(next)) {
            next = announced;
            LOG.info("XKEYS: next key {}", announced.isEmpty() ? "withdrawn" : "announced: " + announced.get(0));
        }
    }

    private void renew() throws IOException, ConfigException {
        KeySet renewed = renewed(set);
        if (renewed != set) {
            set = renewed;
            LOG.info("XKEYS key set renewed: {} (serial {}, valid until {})", renewed.hash(), renewed.serial(),
                    renewed.notAfter());
        }
    }

    private KeySet stored() throws IOException {
        Optional<byte[]> stored = state.get(RECORD);
        if (stored.isPresent()) {
            try {
                return KeySet.parse(stored.get());
            } catch (InvalidKeySetException e) {
                return null; // a damaged record: start a new chain
            }
        }
        return null;
    }

    /** {@code previous} itself while it still serves, else a new set that follows it. */
    private KeySet renewed(KeySet previous) throws IOException, ConfigException {
        Instant now = clock.instant();
        if (previous != null && previous.host().equals(hostname) && previous.tlsKeys().equals(current)
                && previous.nextKeys().equals(next) && previous.dkim().equals(dkim)
                && now.isBefore(previous.notAfter().minus(Duration.between(previous.notBefore(), previous.notAfter()).dividedBy(2)))) {
            return previous;
        }
        if (previous != null && !previous.tlsKeys().containsAll(current) && !previous.nextKeys().containsAll(current)) {
            LOG.warn("warning: XKEYS: the TLS key {} was not announced in the previous key set (serial {}): peers that pinned"
                    + " this host refuse it under enforce; announce a new key with tls_next_cert_file before switching to it"
                    + " (docs/xkeys.md)", current.get(0), previous.serial());
        }
        try {
            KeySet signed = KeySet.sign(hostname, previous == null ? 1 : previous.serial() + 1, now, now.plus(lifetime),
                    previous == null ? "" : previous.hash(), current, next, dkim, key);
            state.put(RECORD, signed.encode());
            return signed;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("tls_key_file " + keyFile + ": cannot sign the XKEYS key set (" + e.getMessage() + ")");
        }
    }
}
