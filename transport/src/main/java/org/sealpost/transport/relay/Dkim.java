package org.sealpost.transport.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.keyexchange.pins.KeySet;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.SigningKey;
import org.sealpost.signing.dkim2.Dkim2Key;
import org.sealpost.signing.dkim2.Dkim2Keys;
import org.sealpost.signing.dkim2.Dkim2Signer;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.metrics.Metrics;
import org.sealpost.transport.config.ConfigException;
import org.sealpost.transport.dkim.ArcForwardSealing;
import org.sealpost.transport.dkim.DkimSigning;
import org.sealpost.transport.sasl.SenderLogins;

/**
 * The DKIM part of the wiring: keys read once at start, the signer of submission listeners and
 * their ARC sealer, and the DKIM2 signer of each domain in dkim2_sign, with the domain's DKIM keys
 * and its dkim2_mldsa_key beside them (verification is part of the inbound checks,
 * {@link Relay#inboundChecks}).
 */
record Dkim(DkimSigning signing, SenderLogins senderLogins, Map<String, Dkim2Signer> dkim2Signers) {

    static Dkim of(Config config, DnsResolver dns, Executor crypto, Metrics metrics) throws ConfigException {
        Config.Dkim settings = config.dkim();
        SenderLogins logins = settings.senderLoginMaps().isPresent() ? SenderLogins.load(settings.senderLoginMaps().get())
                : null;
        Map<String, List<SigningKey>> domainKeys = keys(settings.domainKeys(), false);
        Map<String, List<SigningKey>> userKeys = keys(settings.userKeys(), true);
        DkimSigning signing = domainKeys.isEmpty() && userKeys.isEmpty() ? null
                : new DkimSigning(domainKeys, userKeys, settings.identities(), logins, crypto, metrics);
        Map<String, Dkim2Signer> dkim2 = new LinkedHashMap<>();
        for (String domain : settings.dkim2Domains()) {
            List<Dkim2Key> keys = new ArrayList<>(domainKeys.get(domain).stream().map(Dkim2Key::of).toList());
            Config.DkimKey mlDsa = settings.dkim2MlDsaKeys().get(domain);
            if (mlDsa != null) {
                keys.add(readMlDsa44("dkim2_mldsa_key." + domain, domain, mlDsa));
            }
            dkim2.put(domain, new Dkim2Signer(keys));
        }
        return new Dkim(signing, logins, Map.copyOf(dkim2));
    }

    private static Map<String, List<SigningKey>> keys(Map<String, List<Config.DkimKey>> configured, boolean perUser)
            throws ConfigException {
        Map<String, List<SigningKey>> keys = new LinkedHashMap<>();
        for (Map.Entry<String, List<Config.DkimKey>> entry : configured.entrySet()) {
            String domain = perUser ? entry.getKey().substring(entry.getKey().lastIndexOf('@') + 1) : entry.getKey();
            List<SigningKey> list = new ArrayList<>();
            for (Config.DkimKey key : entry.getValue()) {
                list.add(read("dkim_key." + entry.getKey(), domain, key));
            }
            if (list.size() == 2 && list.get(0).type() == list.get(1).type()) {
                throw new ConfigException("dkim_key." + entry.getKey() + ": two keys must be one RSA and one Ed25519 key");
            }
            keys.put(entry.getKey(), list);
        }
        return keys;
    }

    /**
     * Reads a configured private key; the error names the key, the file and what to do (a missing file, one
     * Sealpost may not read, or one that holds no key).
     */
    static SigningKey read(String configKey, String domain, Config.DkimKey key) throws ConfigException {
        return readPem(configKey, key, pem -> SigningKey.of(domain, key.selector(), DkimKeys.readPrivateKey(pem)),
                "cannot read the private key", "a PEM key as 'sealpost dkim keygen' or opendkim-genkey writes");
    }

    /** Reads a dkim2_mldsa_key file, as {@link #read} a DKIM key. */
    static Dkim2Key readMlDsa44(String configKey, String domain, Config.DkimKey key) throws ConfigException {
        return readPem(configKey, key, pem -> Dkim2Key.mlDsa44(domain, key.selector(), Dkim2Keys.readMlDsa44(pem)),
                "not an ML-DSA-44 private key", "the PEM key that 'sealpost dkim keygen --algorithm mldsa44' writes");
    }

    /** How a PEM text becomes a key. */
    private interface PemReader<T> {
        T read(String pem) throws GeneralSecurityException;
    }

    private static <T> T readPem(String configKey, Config.DkimKey key, PemReader<T> reader, String problem, String expected)
            throws ConfigException {
        String pem;
        try {
            pem = Files.readString(key.file(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException(ConfigException.unreadable(configKey, key.file(), e));
        }
        try {
            return reader.read(pem);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException(configKey + ": " + key.file() + ": " + problem + " (" + e.getMessage()
                    + "); expected " + expected);
        }
    }

    /** The ARC sealer of submission listeners (arc_seal), or null when sealing is off. */
    static ArcForwardSealing arcSealing(Config config, Executor crypto) throws ConfigException {
        if (config.arcSeal().isEmpty()) {
            return null;
        }
        Config.ArcSeal seal = config.arcSeal().get();
        return new ArcForwardSealing(read("arc_seal_key", seal.domain(), seal.key()), config.authservId(), crypto);
    }

    /** The domains signed for, with their selectors, as the XKEYS key set names them. */
    List<KeySet.Dkim> advertised() {
        List<KeySet.Dkim> lines = new ArrayList<>();
        if (signing != null) {
            signing.domainKeys().forEach((domain, keys) -> keys.forEach(key -> lines.add(new KeySet.Dkim(domain, key.selector(),
                    key.type().name().toLowerCase(Locale.ROOT)))));
        }
        return lines;
    }
}
