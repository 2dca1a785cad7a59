package org.sealpost.transport.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sealpost.transport.tls.TlsEngineChoice;
import org.sealpost.keyexchange.mtasts.StsSettings;
import org.sealpost.keyexchange.pins.PinMode;
import org.sealpost.keyexchange.pins.PinModes;
import org.sealpost.keyexchange.policy.TlsLevel;
import org.sealpost.signing.crypto.ProviderChoice;
import org.sealpost.transport.queue.QueueSettings;
import org.sealpost.transport.smtp.client.ClientSettings;
import org.sealpost.transport.smtp.client.RecipientProbe;
import org.sealpost.transport.smtp.client.Route;
import org.sealpost.transport.inbound.DmarcMode;
import org.sealpost.transport.inbound.SigningPolicyMode;
import org.sealpost.transport.smtp.server.ListenerRole;
import org.sealpost.transport.smtp.server.SessionLimits;

/**
 * The whole configuration, read from one file. docs/configuration.md documents every key; the
 * defaults here and there must agree.
 */
public record Config(Path file, String hostname, Path queueDirectory, Optional<Path> logFile,
        Optional<Path> tlsCertFile, Optional<Path> tlsKeyFile, Optional<Path> tlsNextCertFile, Optional<Path> tlsNextKeyFile,
        Optional<Path> tlsCaFile,
        Set<String> localDomains,
        List<NetworkRange> trustedNetworks, Optional<Path> saslPasswordFile,
        List<Listener> listeners, SessionLimits limits, QueueSettings queue, ClientSettings client,
        TlsLevel tlsDefaultLevel, Map<String, TlsLevel> tlsPolicies,
        List<InetSocketAddress> dnsResolvers, Dns dns, boolean xkeys, Duration xkeysLifetime, Pins pins, Dkim dkim,
        String authservId, List<String> arcTrustedSealers, Optional<ArcSeal> arcSeal,
        RecipientVerification recipientVerification, Optional<InetSocketAddress> metricsAddress,
        BindFailure listenerBindFailure, Optional<TlsRpt> tlsrpt, Sts mtaSts,
        Publishing publishing, ProviderChoice cryptoProvider, TlsEngineChoice tlsEngine) {

    /**
     * What Sealpost publishes for the domains it receives mail for (docs/mta-sts.md): the MTA-STS
     * policy (RFC 8461) that `sealpost dns records` prints and, with mta_sts_policy_listen, serves
     * over HTTPS, and the rua addresses of the {@code _smtp._tls} records (RFC 8460 3).
     *
     * @param domains the policy domains (mta_sts_policy_domains, by default local_domains)
     * @param mode enforce, testing or none
     * @param mx the mx patterns of the policy: our MX host names, "*." allowed as the first label
     * @param maxAge max_age of the policy
     * @param listen where the policy is served over HTTPS, or empty when another web server serves it
     * @param certFile the certificate the HTTPS server presents (naming mta-sts.DOMAIN for every domain)
     * @param keyFile its private key
     * @param tlsrptRua the rua URIs (mailto: or https:) of the _smtp._tls records; empty: no record is printed
     */
    public record Publishing(List<String> domains, String mode, List<String> mx, Duration maxAge,
            Optional<InetSocketAddress> listen, Optional<Path> certFile, Optional<Path> keyFile, List<String> tlsrptRua) {

        public Publishing {
            domains = List.copyOf(domains);
            mx = List.copyOf(mx);
            tlsrptRua = List.copyOf(tlsrptRua);
        }
    }

    /**
     * MTA-STS discovery of the destinations' policies (RFC 8461, docs/security-levels.md).
     *
     * @param enabled {@code mta_sts}: whether the outbound list has the MTA-STS policy
     * @param port {@code mta_sts_port}: the policy hosts' HTTPS port (443; tests set another)
     */
    public record Sts(boolean enabled, int port) {
    }

    /** The folder of the fetched MTA-STS policies, below the queue directory. */
    public Path mtaStsDirectory() {
        return queueDirectory.resolve("mta-sts");
    }

    /**
     * TLS reporting (RFC 8460, docs/tlsrpt.md), on when tlsrpt_from and tlsrpt_organization are set.
     *
     * @param from the reports' From and envelope sender; its domain has a dkim_key, which signs them
     * @param organization organization-name in the reports
     * @param contact contact-info in the reports, or ""
     */
    public record TlsRpt(String from, String organization, String contact) {

        /** The domain of {@code from}: the submitter of the reports. */
        public String domain() {
            return from.substring(from.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        }
    }

    /**
     * How mx listeners check a recipient of a local domain at RCPT (docs/postfix.md): a probe of the
     * next hop (Postfix's reject_unverified_recipient), a list (its relay_recipient_maps), or not.
     *
     * @param file recipient_file, with mode file
     * @param probe the probe's cache lifetimes, timeout and size
     */
    public record RecipientVerification(Mode mode, Optional<Path> file, RecipientProbe.Settings probe) {
        /** recipient_verification. */
        public enum Mode { PROBE, FILE, OFF }
    }

    /** What the relay does at start when a listener cannot bind its address. */
    public enum BindFailure {
        /** Stop with the reason (exit status 1). */
        EXIT,
        /** Start without it, try again every few seconds, and say in /health that it is not bound. */
        RETRY
    }

    /** How DNS answers are trusted and cached. */
    public enum DnssecMode { VALIDATE, AD_BIT, OFF }

    /**
     * @param dnssec validate locally, trust the AD bit of a loopback resolver, or not at all
     * @param trustAnchorFile DS or DNSKEY lines added to the built-in root anchors (or replacing them)
     */
    public record Dns(DnssecMode dnssec, Optional<Path> trustAnchorFile, boolean replaceRootAnchors,
            Duration timeout, long cacheSize, Duration cacheMinTtl, Duration cacheMaxTtl) {
    }

    /**
     * The client side of XKEYS (docs/xkeys.md).
     *
     * @param modes enforce, testing or off, globally and per destination domain
     * @param cacheSize the most MX hosts whose pins are kept in memory (the store keeps all)
     * @param signingPolicy what mx listeners do when a held pin's key set names DKIM selectors for a From
     *     domain and the message has no passing signature by it ({@code xkeys_signing_policy})
     */
    public record Pins(PinModes modes, long cacheSize, SigningPolicyMode signingPolicy) {
    }

    /** A DKIM key named in the configuration: its selector and private key file. */
    public record DkimKey(String selector, Path file) {
    }

    /**
     * DKIM signing (submission listeners) and verification (mx listeners), docs/dkim.md.
     *
     * @param domainKeys the keys per signing domain (one or two: RSA and Ed25519), lower case
     * @param userKeys per-user keys and selectors by address, lower case; such mail carries i=
     * @param identities whether every signature carries i= with the From address
     * @param senderLoginMaps which SASL login may use which address (needed with SASL and keys)
     * @param verify whether mx listeners verify the signatures of arriving mail
     * @param dkim2Duplicates whether mx listeners report a copy of a DKIM2-signed transmission already queued
     * @param dkim2ReportCheck whether mx listeners check that a DKIM2-signed report returns a message sent here
     * @param dkim2MlDsaKeys dkim2_mldsa_key.DOMAIN: an ML-DSA-44 key per domain of dkim2Domains, signed beside
     *     its DKIM key(s) (docs/dkim2.md, "Post-quantum")
     */
    public record Dkim(Map<String, List<DkimKey>> domainKeys, Map<String, List<DkimKey>> userKeys, boolean identities,
            Optional<Path> senderLoginMaps, boolean verify, int maxSignatures, Duration clockSkew, boolean verifyDkim2,
            Set<String> dkim2Domains, boolean dkim2Duplicates, boolean dkim2ReportCheck, Map<String, DkimKey> dkim2MlDsaKeys) {

        public Dkim {
            dkim2Domains = Set.copyOf(dkim2Domains);
            dkim2MlDsaKeys = Map.copyOf(dkim2MlDsaKeys);
        }
    }

    /**
     * ARC sealing of mail that submission listeners pass on after an mx listener checked it
     * (arc_seal, docs/verification.md): the sealing domain (d=) and its key.
     */
    public record ArcSeal(String domain, DkimKey key) {
    }

    /** The folder of the pins, below the queue directory. */
    public Path pinDirectory() {
        return queueDirectory.resolve("pins");
    }

    /**
     * One listener: its name (the key part in listener.NAME.*), role, address, STARTTLS, and what an
     * mx listener does with the DMARC verdict (docs/verification.md).
     */
    public record Listener(String name, ListenerRole role, InetSocketAddress address, boolean starttls,
            DmarcMode dmarcPolicy) {

        /** A listener that enforces DMARC (the default). */
        public Listener(String name, ListenerRole role, InetSocketAddress address, boolean starttls) {
            this(name, role, address, starttls, DmarcMode.ENFORCE);
        }
    }

    /**
     * A configuration read in one pass: every error found, and the settings with the default in place
     * of each value in error (so that the checks of files and addresses can go on beside the errors).
     *
     * @param config the settings; null when an error stopped the reading before the end
     *
     * @param set the keys set in the file with their values, sorted (as {@code postconf -n})
     */
    public record Reading(Config config, List<String> errors, Map<String, String> set) {

        /** The configuration, or every error at once, one per line. */
        public Config orThrow() throws ConfigException {
            if (!errors.isEmpty()) {
                throw new ConfigException(errors);
            }
            return config;
        }
    }

    /** Reads and checks a configuration file; the exception lists every error. */
    public static Config load(Path file) throws ConfigException {
        return read(file).orThrow();
    }

    /** Reads a configuration file, keeping its errors; only a file that cannot be read at all throws. */
    public static Reading read(Path file) throws ConfigException {
        return reading(ConfigFile.read(file));
    }

    /** Reads a configuration from lines, as if they were the file {@code file}. */
    public static Config parse(Path file, List<String> lines) throws ConfigException {
        return reading(ConfigFile.parse(file, lines)).orThrow();
    }

    /**
     * Every key with no per-name part and its default as the file would write it ("" for none), sorted,
     * as {@code postconf -d}; the defaults that follow other keys are those of an empty file.
     */
    public static Map<String, String> defaults() {
        ConfigReader r = new ConfigReader(ConfigFile.parse(Path.of("defaults"), List.of()));
        try {
            from(r);
        } catch (ConfigException e) {
            // an empty file has errors (no listeners); the defaults are what was read
        }
        return java.util.Collections.unmodifiableMap(r.defaults());
    }

    private static Reading reading(ConfigFile file) {
        ConfigReader r = new ConfigReader(file);
        Config config;
        try {
            config = from(r);
        } catch (ConfigException e) {
            config = null; // the error is among r.errors()
        }
        return new Reading(config, r.errors(), r.set());
    }

    private static Config from(ConfigReader r) throws ConfigException {
        String hostname = r.string("hostname", defaultHostname());
        Path queueDirectory = r.path("queue_directory", Path.of("/var/spool/sealpost"));
        Optional<Path> logFile = Optional.ofNullable(r.path("log_file", null));
        Optional<Path> cert = Optional.ofNullable(r.path("tls_cert_file", null));
        Optional<Path> key = Optional.ofNullable(r.path("tls_key_file", null));
        Optional<Path> nextCert = Optional.ofNullable(r.path("tls_next_cert_file", null));
        Optional<Path> nextKey = Optional.ofNullable(r.path("tls_next_key_file", null));
        if (nextKey.isPresent() && nextCert.isEmpty()) {
            r.error("tls_next_key_file", "set tls_next_cert_file too: the certificate is what is announced");
        }
        Optional<Path> caFile = Optional.ofNullable(r.path("tls_ca_file", null));
        if (cert.isPresent() != key.isPresent()) {
            r.error(cert.isPresent() ? "tls_cert_file" : "tls_key_file",
                    "set both tls_cert_file and tls_key_file, or neither");
        }
        Set<String> localDomains = new LinkedHashSet<>();
        for (String domain : r.list("local_domains", List.of())) {
            localDomains.add(domain.toLowerCase(Locale.ROOT));
        }
        List<NetworkRange> trusted = new ArrayList<>();
        for (String range : r.list("trusted_networks", List.of("127.0.0.0/8", "::1/128"))) {
            NetworkRange parsed = r.item("trusted_networks", range, "a list of addresses or CIDR ranges such as 127.0.0.0/8",
                    NetworkRange::parse);
            if (parsed != null) {
                trusted.add(parsed);
            }
        }
        Optional<Path> saslPasswordFile = Optional.ofNullable(r.path("sasl_password_file", null));
        List<Listener> listeners = listeners(r, cert.isPresent());

        SessionLimits limits = new SessionLimits(
                r.integer("command_line_limit", 2048, 512, 65536),
                r.integer("text_line_limit", 1000, 1000, 1 << 20),
                r.size("message_size_limit", 52_428_800L),
                r.integer("recipient_limit", 1000, 100, 100_000),
                r.duration("smtpd_idle_timeout", Duration.ofSeconds(300)),
                r.duration("smtpd_session_timeout", Duration.ofHours(1)),
                r.integer("connections_per_client", 50, 1, 100_000),
                r.integer("recipient_overshoot_limit", SessionLimits.DEFAULT_RECIPIENT_OVERSHOOT_LIMIT, 0, 1_000_000));
        QueueSettings queue = new QueueSettings(queueDirectory, hostname,
                r.duration("queue_min_backoff", Duration.ofSeconds(300)),
                r.duration("queue_max_backoff", Duration.ofSeconds(4000)),
                r.duration("queue_lifetime", Duration.ofDays(5)),
                r.duration("bounce_queue_lifetime", Duration.ofDays(5)),
                r.integer("delivery_concurrency", 100, 1, 10_000),
                r.size("bounce_size_limit", QueueSettings.DEFAULT_BOUNCE_SIZE_LIMIT));
        if (queue.maxBackoff().compareTo(queue.minBackoff()) < 0) {
            r.error("queue_max_backoff", "must not be shorter than queue_min_backoff");
        }

        Map<String, Route> routes = new LinkedHashMap<>();
        Route relayhost = r.parsed("relayhost", null, "[host]:port or host:port such as [127.0.0.1]:2526", Route::parse);
        if (relayhost != null) {
            routes.put("*", relayhost);
        }
        for (Map.Entry<String, String> route : r.withPrefix("route.").entrySet()) {
            Route parsed = r.parsed("route." + route.getKey(), null, "[host]:port or host:port such as [127.0.0.1]:10026",
                    Route::parse);
            if (parsed != null) {
                routes.put(route.getKey().toLowerCase(Locale.ROOT), parsed);
            }
        }
        ClientSettings client = new ClientSettings(hostname, routes,
                r.duration("smtp_connect_timeout", Duration.ofSeconds(30)),
                r.duration("smtp_greeting_timeout", Duration.ofSeconds(300)),
                r.duration("smtp_command_timeout", Duration.ofSeconds(300)),
                r.duration("smtp_data_timeout", Duration.ofSeconds(180)),
                r.duration("smtp_final_timeout", Duration.ofSeconds(600)),
                r.integer("destination_concurrency", 20, 1, 1000),
                r.integer("messages_per_connection", 100, 1, 100_000),
                r.duration("connection_idle_time", Duration.ofSeconds(5)),
                r.duration("destination_unavailable_time", ClientSettings.DEFAULT_UNAVAILABLE_TIME));

        Map<String, TlsLevel> levels = names(TlsLevel.values(), TlsLevel::configName);
        TlsLevel defaultLevel = r.choice("tls_default_level", TlsLevel.DANE, "TLS level", levels);
        Map<String, TlsLevel> policies = new LinkedHashMap<>();
        for (Map.Entry<String, String> policy : r.withPrefix("tls_policy.").entrySet()) {
            TlsLevel level = r.choice("tls_policy." + policy.getKey(), null, "TLS level", levels);
            if (level != null) {
                policies.put(policy.getKey().toLowerCase(Locale.ROOT), level);
            }
        }
        List<InetSocketAddress> resolvers = new ArrayList<>();
        for (String resolver : r.list("dns_resolvers", List.of())) {
            InetSocketAddress parsed = r.item("dns_resolvers", resolver, "a list of host:port such as 127.0.0.1:53",
                    text -> ConfigReader.parseSocketAddress(text.contains(":") ? text : text + ":53"));
            if (parsed != null) {
                resolvers.add(parsed);
            }
        }
        Dns dns = new Dns(r.choice("dnssec", DnssecMode.VALIDATE, "dnssec mode",
                names(DnssecMode.values(), mode -> mode.name().toLowerCase(Locale.ROOT).replace('_', '-'))),
                Optional.ofNullable(r.path("dnssec_trust_anchor_file", null)),
                r.bool("dnssec_trust_anchor_replace_root", false),
                r.duration("dns_timeout", Duration.ofSeconds(5)),
                r.integer("dns_cache_size", 10_000, 0, 10_000_000),
                r.duration("dns_cache_min_ttl", Duration.ofSeconds(5)),
                r.duration("dns_cache_max_ttl", Duration.ofDays(1)));
        if (dns.dnssec() == DnssecMode.AD_BIT) {
            boolean valid = !resolvers.isEmpty();
            for (InetSocketAddress resolver : resolvers) {
                if (!resolver.getAddress().isLoopbackAddress()) {
                    r.error("dnssec", "ad-bit trusts the AD bit only from a validating resolver on loopback; "
                            + "dns_resolvers names " + resolver.getAddress().getHostAddress());
                    valid = false;
                }
            }
            if (resolvers.isEmpty()) {
                r.error("dnssec", "ad-bit needs dns_resolvers naming a validating resolver on loopback");
            }
            if (!valid) { // the default in place of the value in error, as for every other key
                dns = new Dns(DnssecMode.VALIDATE, dns.trustAnchorFile(), dns.replaceRootAnchors(), dns.timeout(),
                        dns.cacheSize(), dns.cacheMinTtl(), dns.cacheMaxTtl());
            }
        }
        if (dns.cacheMaxTtl().compareTo(dns.cacheMinTtl()) < 0) {
            r.error("dns_cache_max_ttl", "must not be shorter than dns_cache_min_ttl");
        }
        boolean xkeys = r.bool("xkeys", cert.isPresent());
        if (xkeys && cert.isEmpty()) {
            r.error("xkeys", "XKEYS advertises the TLS keys: set tls_cert_file and tls_key_file");
        }
        Duration xkeysLifetime = r.duration("xkeys_lifetime", Duration.ofDays(30));
        Map<String, PinMode> modeNames = names(PinMode.values(), PinMode::configName);
        PinMode pinMode = r.choice("xkeys_pins", PinMode.ENFORCE, "pin mode", modeNames);
        Map<String, PinMode> pinModes = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : r.withPrefix("xkeys_pins.").entrySet()) {
            PinMode mode = r.choice("xkeys_pins." + entry.getKey(), null, "pin mode", modeNames);
            if (mode != null) {
                pinModes.put(entry.getKey().toLowerCase(Locale.ROOT), mode);
            }
        }
        // docs/xkeys.md "Signing policy from the key set": what the held key sets say about arriving mail.
        SigningPolicyMode signingPolicy = r.choice("xkeys_signing_policy", SigningPolicyMode.REPORT, "signing policy",
                names(SigningPolicyMode.values(), SigningPolicyMode::configName));
        Pins pins = new Pins(new PinModes(pinMode, pinModes), r.integer("xkeys_pin_cache_size", 10_000, 1, 10_000_000),
                signingPolicy);
        Dkim dkim = dkim(r, saslPasswordFile.isPresent());
        // RFC 8601 2.5: the name our Authentication-Results fields carry, and the one arriving fields may not claim.
        String authservId = r.string("authserv_id", hostname);
        if (!authservId.matches("[A-Za-z0-9.-]+")) {
            r.error("authserv_id", "expected a host name such as mx.example.com, got '" + authservId + "'");
        }
        // RFC 8617 7.2: the sealers whose ARC-Authentication-Results may rescue a DMARC failure (docs/verification.md).
        List<String> arcTrustedSealers = new ArrayList<>();
        for (String domain : r.list("arc_trusted_sealers", List.of())) {
            String name = domain.toLowerCase(Locale.ROOT);
            if (!name.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)+\\.?")) {
                r.error("arc_trusted_sealers", "expected domains such as lists.example.org, separated by commas, got '"
                        + domain + "'");
                continue;
            }
            arcTrustedSealers.add(name);
        }
        Optional<ArcSeal> arcSeal = arcSeal(r);
        RecipientVerification recipientVerification = recipientVerification(r);
        Optional<InetSocketAddress> metricsAddress = metricsAddress(r);
        BindFailure bindFailure = r.choice("listener_bind_failure", BindFailure.EXIT, "listener_bind_failure action",
                names(BindFailure.values(), each -> each.name().toLowerCase(Locale.ROOT)));
        Optional<TlsRpt> tlsrpt = tlsrpt(r, dkim);
        Sts mtaSts = new Sts(r.bool("mta_sts", true), r.integer("mta_sts_port", StsSettings.DEFAULT_PORT, 1, 65535));
        Publishing publishing = publishing(r, hostname, localDomains, cert, key);
        // Which JCA providers sign, verify and encrypt (CryptoProviders; -Dsealpost.crypto overrides it).
        ProviderChoice cryptoProvider = r.choice("crypto_provider", ProviderChoice.AUTO, "crypto_provider",
                names(ProviderChoice.values(), ProviderChoice::value));
        // Which TLS engine the listeners and the client use (TlsEngines; -Dsealpost.tls overrides it).
        TlsEngineChoice tlsEngine = r.choice("tls_engine", TlsEngineChoice.AUTO, "tls_engine",
                names(TlsEngineChoice.values(), TlsEngineChoice::value));
        r.rejectUnknownKeys();
        return new Config(r.file(), hostname, queueDirectory, logFile, cert, key, nextCert, nextKey, caFile, localDomains, trusted,
                saslPasswordFile, listeners, limits, queue, client, defaultLevel, policies, resolvers, dns, xkeys, xkeysLifetime, pins, dkim,
                authservId, List.copyOf(arcTrustedSealers), arcSeal, recipientVerification, metricsAddress, bindFailure, tlsrpt,
                mtaSts, publishing, cryptoProvider, tlsEngine);
    }

    /** RFC 8461 3.2: max_age is at most 31557600 seconds (about a year). */
    private static final Duration MAX_AGE_LIMIT = Duration.ofSeconds(31_557_600);

    /**
     * The mta_sts_policy_* keys and tlsrpt_rua: what Sealpost publishes for its own domains
     * (docs/mta-sts.md). Nothing here is served unless mta_sts_policy_listen is set.
     */
    private static Publishing publishing(ConfigReader r, String hostname, Set<String> localDomains, Optional<Path> cert,
            Optional<Path> key) throws ConfigException {
        List<String> domains = new ArrayList<>();
        for (String domain : r.list("mta_sts_policy_domains", List.copyOf(new java.util.TreeSet<>(localDomains)))) {
            String name = domain.toLowerCase(Locale.ROOT);
            if (!name.matches("[a-z0-9-]+(\\.[a-z0-9-]+)+")) {
                r.error("mta_sts_policy_domains", "expected domains such as example.org, separated by commas, got '"
                        + domain + "'");
                continue;
            }
            domains.add(name);
        }
        Map<String, String> modes = new LinkedHashMap<>();
        for (String name : List.of("enforce", "testing", "none")) {
            modes.put(name, name);
        }
        String mode = r.choice("mta_sts_policy_mode", "testing", "policy mode", modes);
        List<String> mx = new ArrayList<>();
        for (String pattern : r.list("mta_sts_policy_mx", List.of(hostname))) {
            String name = pattern.toLowerCase(Locale.ROOT);
            if (domains.isEmpty() || !r.has("mta_sts_policy_mx")) {
                // Nothing published, or the default hostname: `sealpost dns records` and the policy
                // server say so when it is no MX name (localhost); a relay that publishes nothing needs none.
                mx.add(name);
                continue;
            }
            if (!org.sealpost.transport.publishing.PolicyFile.isMxPattern(name)) {
                r.error("mta_sts_policy_mx", "expected MX host names such as mx.example.org or *.example.org, "
                        + "separated by commas, got '" + pattern + "'");
                continue;
            }
            mx.add(name);
        }
        Duration maxAge = r.duration("mta_sts_policy_max_age", Duration.ofDays(7));
        if (maxAge.isZero() || maxAge.compareTo(MAX_AGE_LIMIT) > 0) {
            r.error("mta_sts_policy_max_age", "must be between 1s and 31557600s (RFC 8461 3.2), got "
                    + maxAge.toSeconds() + "s");
            maxAge = Duration.ofDays(7);
        }
        Optional<InetSocketAddress> listen = Optional.ofNullable(r.socketAddress("mta_sts_policy_listen", null));
        Optional<Path> certFile = Optional.ofNullable(r.path("mta_sts_policy_cert_file", null)).or(() -> cert);
        Optional<Path> keyFile = Optional.ofNullable(r.path("mta_sts_policy_key_file", null)).or(() -> key);
        if (listen.isPresent()) {
            if (certFile.isEmpty() || keyFile.isEmpty()) {
                r.error("mta_sts_policy_listen", "serving the policy over HTTPS needs a certificate for mta-sts.DOMAIN: "
                        + "set mta_sts_policy_cert_file and mta_sts_policy_key_file (or tls_cert_file and tls_key_file)");
            }
            if (domains.isEmpty()) {
                r.error("mta_sts_policy_listen", "there is no policy to serve: set mta_sts_policy_domains "
                        + "(or local_domains)");
            }
        }
        List<String> rua = new ArrayList<>();
        for (String uri : r.list("tlsrpt_rua", List.of())) {
            // RFC 8460 3: rua is a comma-separated list of mailto: or https: URIs.
            if (!uri.matches("mailto:[^@\\s,;!]+@[A-Za-z0-9.-]+\\.[A-Za-z0-9-]+|https://[^\\s,;!]+")) {
                r.error("tlsrpt_rua", "expected mailto:ADDRESS or https://URL items separated by commas, got '" + uri + "'");
                continue;
            }
            rua.add(uri);
        }
        return new Publishing(domains, mode, mx, maxAge, listen, certFile, keyFile, rua);
    }

    /**
     * tlsrpt_from, tlsrpt_organization, tlsrpt_contact: both of the first two or neither; the From
     * domain must have a dkim_key, since the reports are signed with it (RFC 8460 5.3).
     */
    private static Optional<TlsRpt> tlsrpt(ConfigReader r, Dkim dkim) throws ConfigException {
        String from = r.string("tlsrpt_from", null);
        String organization = r.string("tlsrpt_organization", null);
        String contact = r.string("tlsrpt_contact", "");
        if (from == null && organization == null) {
            return Optional.empty();
        }
        if (from == null || organization == null) {
            r.error(from == null ? "tlsrpt_organization" : "tlsrpt_from", "TLS reporting needs both tlsrpt_from = ADDRESS "
                    + "(the reports' From) and tlsrpt_organization = NAME (organization-name in the reports); "
                    + (from == null ? "tlsrpt_from" : "tlsrpt_organization") + " is not set");
            return Optional.empty();
        }
        if (!from.matches("[^@\\s<>]+@[A-Za-z0-9.-]+\\.[A-Za-z0-9-]+")) {
            r.error("tlsrpt_from", "expected a mail address such as tlsrpt@example.org, got '" + from + "'");
            return Optional.empty();
        }
        TlsRpt settings = new TlsRpt(from, organization, contact);
        if (!dkim.domainKeys().containsKey(settings.domain())) {
            r.error("tlsrpt_from", "the reports are DKIM-signed by the From domain (RFC 8460 5.3), but there is no "
                    + "dkim_key." + settings.domain() + "; add one (sealpost dkim keygen) or use an address of a signed domain");
            return Optional.empty();
        }
        return Optional.of(settings);
    }

    /** recipient_verification and its keys (docs/configuration.md, docs/postfix.md). */
    private static RecipientVerification recipientVerification(ConfigReader r) throws ConfigException {
        RecipientVerification.Mode mode = r.choice("recipient_verification", RecipientVerification.Mode.PROBE,
                "recipient verification", names(RecipientVerification.Mode.values(),
                        each -> each.name().toLowerCase(Locale.ROOT)));
        Optional<Path> file = Optional.ofNullable(r.path("recipient_file", null));
        if (mode == RecipientVerification.Mode.FILE && file.isEmpty()) {
            r.error("recipient_verification", "file needs recipient_file: one address or @domain a line");
        }
        if (mode != RecipientVerification.Mode.FILE && file.isPresent()) {
            r.error("recipient_file", "is read only with recipient_verification = file");
        }
        RecipientProbe.Settings probe = new RecipientProbe.Settings(
                r.duration("recipient_verification_positive_lifetime", Duration.ofDays(1)),
                r.duration("recipient_verification_negative_lifetime", Duration.ofMinutes(10)),
                r.duration("recipient_verification_timeout", Duration.ofSeconds(10)),
                r.integer("recipient_verification_cache_size", 100_000, 1, 10_000_000));
        return new RecipientVerification(mode, file, probe);
    }

    /**
     * metrics_address: where /metrics and /health are served (docs/operations.md), off when unset. Loopback
     * only: the endpoint has no authentication, and the counts and the health say much about the mail.
     */
    private static Optional<InetSocketAddress> metricsAddress(ConfigReader r) throws ConfigException {
        InetSocketAddress address = r.socketAddress("metrics_address", null);
        if (address != null && (address.getAddress() == null || !address.getAddress().isLoopbackAddress())) {
            r.error("metrics_address", "expected a loopback address such as 127.0.0.1:9025 or [::1]:9025, got "
                    + address.getHostString() + ":" + address.getPort() + "; the endpoint has no authentication: to scrape "
                    + "from another host, put a proxy with TLS and authentication in front of it (docs/operations.md)");
            return Optional.empty();
        }
        return Optional.ofNullable(address);
    }

    /** arc_seal with arc_seal_domain and arc_seal_key (SELECTOR:KEYFILE, as a dkim_key item). */
    private static Optional<ArcSeal> arcSeal(ConfigReader r) throws ConfigException {
        boolean on = r.bool("arc_seal", false);
        String domain = r.string("arc_seal_domain", null);
        String item = r.string("arc_seal_key", null);
        if (!on) {
            return Optional.empty();
        }
        if (domain == null || item == null) {
            r.error("arc_seal", "sealing needs arc_seal_domain = DOMAIN (the d= of our seals) and arc_seal_key = "
                    + "SELECTOR:KEYFILE (a key made by sealpost dkim keygen, its record published at "
                    + "SELECTOR._domainkey.DOMAIN); " + (domain == null ? "arc_seal_domain" : "arc_seal_key") + " is not set");
            return Optional.empty();
        }
        String name = domain.toLowerCase(Locale.ROOT);
        if (!name.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)+")) {
            r.error("arc_seal_domain", "expected a domain such as example.org, got '" + domain + "'");
            return Optional.empty();
        }
        DkimKey key = key(r, "arc_seal_key", item, "arc2026:/etc/sealpost/arc.pem");
        return key == null ? Optional.empty() : Optional.of(new ArcSeal(name, key));
    }

    /**
     * One SELECTOR:KEYFILE item, the file taken from the configuration's folder when relative; null when the
     * item is in error (recorded, and reading goes on).
     */
    private static DkimKey key(ConfigReader r, String key, String item, String example) {
        int colon = item.indexOf(':');
        String selector = colon > 0 ? item.substring(0, colon) : "";
        if (!selector.matches("[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?") || colon == item.length() - 1) {
            r.error(key, "expected " + (key.startsWith("dkim_key.") ? "SELECTOR:KEYFILE[, SELECTOR:KEYFILE]"
                    : "SELECTOR:KEYFILE") + ", e.g. " + example + ", got '" + item + "'");
            return null;
        }
        Path file = Path.of(item.substring(colon + 1));
        Path base = r.configFolder();
        return new DkimKey(selector, file.isAbsolute() || base == null ? file : base.resolve(file).normalize());
    }

    private static Dkim dkim(ConfigReader r, boolean sasl) throws ConfigException {
        Map<String, List<DkimKey>> domainKeys = new LinkedHashMap<>();
        Map<String, List<DkimKey>> userKeys = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : r.withPrefix("dkim_key.").entrySet()) {
            String key = "dkim_key." + entry.getKey();
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            List<DkimKey> keys = new ArrayList<>();
            boolean itemInError = false;
            for (String item : r.list(key, List.of())) {
                DkimKey read = key(r, key, item, "sel2026:/etc/sealpost/dkim/" + name + ".pem");
                if (read == null) {
                    itemInError = true;
                    continue;
                }
                keys.add(read);
            }
            if (keys.size() > 2 || keys.isEmpty() && !itemInError) {
                r.error(key, "name one key, or two (an RSA and an Ed25519 key, each with its selector)");
            }
            if (keys.isEmpty()) {
                continue;
            }
            (name.contains("@") ? userKeys : domainKeys).put(name, keys);
        }
        Optional<Path> senderLoginMaps = Optional.ofNullable(r.path("sender_login_maps", null));
        if (sasl && (!domainKeys.isEmpty() || !userKeys.isEmpty()) && senderLoginMaps.isEmpty()) {
            r.error("dkim_key." + (domainKeys.isEmpty() ? userKeys : domainKeys).keySet().iterator().next(),
                    "signing for clients that log in needs sender_login_maps: which login may send as which address");
        }
        Set<String> dkim2Domains = dkim2Domains(r, domainKeys.keySet());
        return new Dkim(domainKeys, userKeys, r.bool("dkim_identities", false), senderLoginMaps, r.bool("dkim_verify", true),
                r.integer("dkim_max_signatures", 5, 1, 50), r.duration("dkim_clock_skew", Duration.ofMinutes(5)),
                r.bool("dkim2_verify", true), dkim2Domains, r.bool("dkim2_duplicates", true),
                r.bool("dkim2_report_check", true), dkim2MlDsaKeys(r, dkim2Domains, domainKeys.keySet()));
    }

    /** dkim2_sign: no (the default), yes (every domain with a dkim_key), or the domains, each with a dkim_key. */
    private static Set<String> dkim2Domains(ConfigReader r, Set<String> keyed) throws ConfigException {
        List<String> named = r.list("dkim2_sign", List.of("no"));
        if (named.size() == 1 && named.get(0).equalsIgnoreCase("no")) {
            return Set.of();
        }
        if (named.size() == 1 && named.get(0).equalsIgnoreCase("yes")) {
            if (keyed.isEmpty()) {
                r.error("dkim2_sign", "yes signs with the dkim_key of each domain, and no dkim_key.DOMAIN is set");
            }
            return keyed;
        }
        Set<String> domains = new LinkedHashSet<>();
        for (String domain : named) {
            String name = domain.toLowerCase(Locale.ROOT);
            if (!keyed.contains(name)) {
                r.error("dkim2_sign", "'" + domain + "' has no dkim_key." + name + "; DKIM2 signs with the domain's DKIM key "
                        + "(name domains that have one, or yes for all of them, or no)");
            }
            domains.add(name);
        }
        return domains;
    }

    /**
     * dkim2_mldsa_key.DOMAIN = SELECTOR:KEYFILE, for a domain of dkim2_sign. ML-DSA-44 is not in -06: a
     * verifier that does not know it ignores its sig-set (-06 3.4), so it is only ever added beside the
     * domain's DKIM key(s), never the only sig-set. The file is read at start (relay/Dkim).
     */
    private static Map<String, DkimKey> dkim2MlDsaKeys(ConfigReader r, Set<String> signed, Set<String> keyed) {
        Map<String, DkimKey> keys = new LinkedHashMap<>();
        for (String suffix : r.withPrefix("dkim2_mldsa_key.").keySet()) {
            String key = "dkim2_mldsa_key." + suffix;
            String domain = suffix.toLowerCase(Locale.ROOT);
            List<String> items = r.list(key, List.of());
            if (items.size() != 1) {
                r.error(key, "name one ML-DSA-44 key as SELECTOR:KEYFILE, e.g. pq2026:/etc/sealpost/dkim/" + domain
                        + ".mldsa44.pem (made by sealpost dkim keygen --algorithm mldsa44)");
                continue;
            }
            if (!keyed.contains(domain)) {
                r.error(key, "'" + domain + "' has no dkim_key." + domain + "; an ML-DSA-44 sig-set is never the only one "
                        + "(verifiers that do not know it would see no signature), so add an RSA or Ed25519 dkim_key."
                        + domain + " and name " + domain + " in dkim2_sign");
                continue;
            }
            if (!signed.contains(domain)) {
                r.error(key, "'" + domain + "' is not in dkim2_sign, so nothing signs DKIM2 for it; add it to dkim2_sign "
                        + "(or set dkim2_sign = yes), or remove this key");
                continue;
            }
            DkimKey read = key(r, key, items.get(0), "pq2026:/etc/sealpost/dkim/" + domain + ".mldsa44.pem");
            if (read != null) {
                keys.put(domain, read);
            }
        }
        return keys;
    }

    private static List<Listener> listeners(ConfigReader r, boolean haveCertificate) throws ConfigException {
        List<String> names = r.list("listeners", List.of());
        if (names.isEmpty()) {
            r.error("listeners", "name at least one listener, e.g. 'listeners = submission' with "
                    + "listener.submission.role and listener.submission.address");
        }
        List<Listener> listeners = new ArrayList<>();
        for (String name : names) {
            String prefix = "listener." + name + ".";
            List<String> missing = new ArrayList<>();
            if (!r.has(prefix + "role")) {
                missing.add(prefix + "role (submission or mx)");
            }
            if (!r.has(prefix + "address")) {
                missing.add(prefix + "address (host:port)");
            }
            boolean complete = missing.isEmpty();
            if (!complete) {
                r.error("listeners", "listener '" + name + "' needs " + String.join(" and ", missing));
            }
            ListenerRole role = r.choice(prefix + "role", null, "role",
                    names(ListenerRole.values(), each -> each.name().toLowerCase(Locale.ROOT)));
            InetSocketAddress address = r.socketAddress(prefix + "address", null);
            boolean starttls = r.bool(prefix + "starttls", haveCertificate);
            if (starttls && !haveCertificate) {
                r.error(prefix + "starttls", "STARTTLS needs tls_cert_file and tls_key_file");
            }
            if (r.has(prefix + "dmarc_policy") && role != null && role != ListenerRole.MX) {
                r.error(prefix + "dmarc_policy", "only an mx listener checks DMARC; remove the key or set "
                        + prefix + "role = mx");
            }
            DmarcMode dmarcPolicy = r.choice(prefix + "dmarc_policy", DmarcMode.ENFORCE, "DMARC policy",
                    names(DmarcMode.values(), DmarcMode::configName));
            if (complete && role != null && address != null) { // one in error has been reported; the others go on
                listeners.add(new Listener(name, role, address, starttls, dmarcPolicy));
            }
        }
        return listeners;
    }

    /** The names of an enum's values as the configuration writes them, in declaration order. */
    private static <T> Map<String, T> names(T[] values, java.util.function.Function<T, String> name) {
        Map<String, T> names = new LinkedHashMap<>();
        for (T value : values) {
            names.put(name.apply(value), value);
        }
        return names;
    }

    private static String defaultHostname() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
