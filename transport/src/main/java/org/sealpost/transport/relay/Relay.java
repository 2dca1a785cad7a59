package org.sealpost.transport.relay;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.security.NoSuchProviderException;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.util.stream.Collectors;
import java.time.Duration;
import java.util.Set;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.sealpost.cache.DurableStore;
import org.sealpost.dnssec.CachingDnsResolver;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.PlainDnsResolver;
import org.sealpost.dnssec.TrustAnchors;
import org.sealpost.dnssec.ValidatingDnsResolver;
import org.sealpost.keyexchange.mtasts.MtaSts;
import org.sealpost.keyexchange.pins.KeySet;
import org.sealpost.keyexchange.pins.PinCheck;
import org.sealpost.keyexchange.pins.PinCounters;
import org.sealpost.keyexchange.pins.PinPolicy;
import org.sealpost.keyexchange.pins.PinStore;
import org.sealpost.keyexchange.policy.Policies;
import org.sealpost.signing.arc.ArcVerifier;
import org.sealpost.signing.crypto.CryptoInUse;
import org.sealpost.signing.crypto.CryptoProviders;
import org.sealpost.signing.arc.TrustedSealers;
import org.sealpost.signing.dkim.DkimVerifier;
import org.sealpost.signing.dkim.VerifierOptions;
import org.sealpost.signing.dkim2.Dkim2Recipes;
import org.sealpost.signing.dkim2.Dkim2Verifier;
import org.sealpost.signing.dkim2.Dkim2VerifierOptions;
import org.sealpost.signing.dmarc.DmarcEvaluator;
import org.sealpost.signing.spf.SpfChecker;
import org.sealpost.signing.spf.SpfDns;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.inbound.DmarcMode;
import org.sealpost.transport.inbound.ClientName;
import org.sealpost.transport.inbound.Dkim2Duplicates;
import org.sealpost.transport.inbound.Dkim2Reports;
import org.sealpost.transport.inbound.InboundChecks;
import org.sealpost.transport.inbound.SigningPolicy;
import org.sealpost.transport.config.ConfigException;
import org.sealpost.transport.queue.ControlSocket;
import org.sealpost.transport.metrics.Health;
import org.sealpost.transport.metrics.Metrics;
import org.sealpost.transport.metrics.MetricsServer;
import org.sealpost.transport.publishing.PolicyFile;
import org.sealpost.transport.publishing.PolicyServer;
import org.sealpost.transport.queue.MailQueue;
import org.sealpost.transport.queue.QueueDirectory;
import org.sealpost.transport.queue.QueueDirectoryException;
import org.sealpost.transport.queue.QueueReply;
import org.sealpost.transport.tls.TlsEngine;
import org.sealpost.transport.tls.TlsEngines;
import org.sealpost.transport.tlsrpt.ReportSettings;
import org.sealpost.transport.tlsrpt.TlsReporting;
import org.sealpost.transport.sasl.PasswordFile;
import org.sealpost.transport.smtp.client.SmtpDeliverer;
import org.sealpost.transport.queue.Deliverer;
import org.sealpost.transport.dkim.Dkim2Hops;
import org.sealpost.transport.smtp.server.Authenticator;
import org.sealpost.transport.smtp.server.FilterChain;
import org.sealpost.transport.smtp.server.ListenerRole;
import org.sealpost.transport.smtp.server.ListenerSettings;
import org.sealpost.transport.smtp.server.MessageFilter;
import org.sealpost.transport.smtp.server.RecipientCheck;
import org.sealpost.transport.smtp.server.RecipientFile;
import org.sealpost.transport.smtp.server.SmtpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running relay, wired with constructors: listeners put mail in the queue, the queue hands it
 * to the SMTP client, the client asks the one list of TLS policies how to protect each hop.
 */
public final class Relay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

    private final EventLoopGroup group;
    private final SmtpDeliverer deliverer;
    private final MailQueue queue;
    private final List<SmtpServer> servers = new ArrayList<>();
    private final Map<String, InetSocketAddress> bound = java.util.Collections.synchronizedMap(new LinkedHashMap<>());

    private final PinStore pins;
    private final PinStatistics statistics;

    private final ScheduledExecutorService maintenance;
    private ExecutorService crypto;
    private QueueDirectory queueDirectory;
    private ControlSocket control;
    private ServerTls tls;
    private ServerKeySet xkeys;
    private RecipientFile recipientFile;
    private MetricsServer metricsServer;
    private PolicyServer policyServer;
    private Metrics metrics;
    private MtaSts mtaSts;
    private TlsReporting reporting;
    private volatile boolean started;

    private Relay(EventLoopGroup group, SmtpDeliverer deliverer, MailQueue queue, PinStore pins, PinStatistics statistics,
            ScheduledExecutorService maintenance) {
        this.maintenance = maintenance;
        this.group = group;
        this.deliverer = deliverer;
        this.queue = queue;
        this.pins = pins;
        this.statistics = statistics;
    }

    /** Starts the queue (recovering what it holds), then the listeners. */
    public static Relay start(Config config) throws ConfigException, IOException, InterruptedException {
        DnsResolver upstream = upstream(config);
        return start(config, cached(config, upstream), upstream);
    }

    /**
     * The same with a given resolver (the demo's in-memory signed zone). Every expected failure is a
     * {@link StartupFailure} that says what, where and what to do: an IOException from below (the
     * queue's own, with its full message, or a folder the relay may not write) is wrapped in one.
     */
    public static Relay start(Config config, DnsResolver dns) throws ConfigException, IOException, InterruptedException {
        return start(config, dns, dns);
    }

    /** @param probed the resolvers /health asks whether DNS answers: those behind the cache */
    private static Relay start(Config config, DnsResolver dns, DnsResolver probed)
            throws ConfigException, IOException, InterruptedException {
        CryptoInUse providers = providers(config);
        TlsEngine engine = engine(config);
        // The queue's lock before anything else: a second instance must fail before it reads or
        // writes any file there (the pins and state folders live in queue_directory too).
        QueueDirectory directory;
        try {
            directory = QueueDirectory.open(config.queueDirectory());
        } catch (QueueDirectoryException e) {
            throw new StartupFailure(e.getMessage(), e);
        }
        try {
            Relay relay = wire(config, dns, probed, providers, engine);
            relay.queueDirectory = directory;
            return relay;
        } catch (IOException e) {
            directory.close();
            throw startupFailure(config, e);
        } catch (ConfigException | InterruptedException | RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    /**
     * crypto_provider, first: the keys read from here on and every signature, verification and TLS
     * session use the providers it installs. One line says which, once the relay has started.
     */
    private static CryptoInUse providers(Config config) throws StartupFailure {
        try {
            return CryptoProviders.install(config.cryptoProvider());
        } catch (NoSuchProviderException e) {
            String where = e.getMessage().startsWith("-D") ? "" // the system property, not the file
                    : "crypto_provider = " + config.cryptoProvider().value() + " in " + config.file() + ": ";
            throw new StartupFailure(where + e.getMessage(), e);
        }
    }

    /**
     * tls_engine, before any TLS context is made: the listeners' and the client's use the engine it
     * chooses. One line says which and the groups it offers, once the relay has started.
     */
    private static TlsEngine engine(Config config) throws StartupFailure {
        try {
            return TlsEngines.install(config.tlsEngine());
        } catch (NoSuchProviderException e) {
            String where = e.getMessage().startsWith("-D") ? "" // the system property, not the file
                    : "tls_engine = " + config.tlsEngine().value() + " in " + config.file() + ": ";
            throw new StartupFailure(where + e.getMessage(), e);
        }
    }

    /** An IOException from below, worded for the person who started the relay. */
    private static StartupFailure startupFailure(Config config, IOException e) {
        if (e instanceof StartupFailure failure) {
            return failure;
        }
        if (e instanceof FileSystemException fs) {
            String why = fs instanceof AccessDeniedException ? "permission denied"
                    : fs instanceof NoSuchFileException ? "no such file or folder"
                    : fs instanceof FileAlreadyExistsException || fs instanceof NotDirectoryException ? "not a folder"
                    : fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName();
            boolean queue = fs.getFile() != null && java.nio.file.Path.of(fs.getFile()).startsWith(config.queueDirectory());
            return new StartupFailure(fs.getFile() + ": " + why + (queue ? "; queue_directory " + config.queueDirectory()
                    + " and all below it must be folders of the user Sealpost runs as" : "") + " (docs/operations.md)", fs);
        }
        return new StartupFailure(e.getMessage(), e); // the queue's own exceptions carry their full message
    }

    /** Mail is for the queue's owner alone; root would own every file and run every parser with all rights. */
    private static void warnIfRoot() {
        try {
            if (new com.sun.security.auth.module.UnixSystem().getUid() == 0) {
                LOG.warn("warning: sealpost is running as root; run it as an unprivileged user (sealpost, created "
                        + "with useradd --system) that owns queue_directory, with CAP_NET_BIND_SERVICE for port 25 "
                        + "(docs/operations.md)");
            }
        } catch (LinkageError | RuntimeException e) {
            // not a Unix system: no root to warn about
        }
    }

    /** The wiring, once queue_directory is locked. */
    private static Relay wire(Config config, DnsResolver dns, DnsResolver probed, CryptoInUse providers, TlsEngine engine)
            throws ConfigException, IOException, InterruptedException {
        // Counted from the start; without metrics_address the same calls record nothing.
        Metrics metrics = config.metricsAddress().isPresent() ? Metrics.prometheus() : Metrics.none();
        TlsKeyPair pair = config.tlsCertFile().isPresent()
                ? TlsKeyPair.read(config.tlsCertFile().get(), config.tlsKeyFile().get()) : null;
        ServerTls tls = pair != null ? ServerTls.load(pair) : null;
        nextPair(config);
        Authenticator logins = config.saslPasswordFile().isPresent()
                ? PasswordFile.load(config.saslPasswordFile().get()) : null;
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = epoll ? new EpollEventLoopGroup() : new NioEventLoopGroup();
        Class<? extends Channel> clientChannel = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        Class<? extends ServerChannel> serverChannel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;

        PinStore pins = new PinStore(new DurableStore(config.pinDirectory()), config.pins().cacheSize(), Duration.ofMinutes(1));
        PinCounters pinCounters = new PinCounters();
        // Fetched MTA-STS policies survive restarts in queue_directory/mta-sts (RFC 8461 5.1: cached until max_age).
        // The trust store (tls_ca_file or the JDK's cacerts) is read once for the policy hosts and the verify level.
        Set<TrustAnchor> authorities = OutboundPolicies.authorities(config);
        MtaSts mtaSts = OutboundPolicies.mtaSts(config, authorities, config.mtaSts().port(), dns,
                config.mtaStsDirectory(), Clock.systemUTC());
        Policies policies = OutboundPolicies.from(config, authorities, dns,
                new PinPolicy(new PinCheck(pins), config.pins().modes(), pinCounters, Clock.systemUTC()), mtaSts,
                Clock.systemUTC());
        ReportSettings reportSettings = config.tlsrpt().isPresent() ? TlsRptSettings.of(config) : null;
        TlsReporting reporting = reportSettings == null ? null : TlsReporting.open(config.queueDirectory());
        ExecutorService crypto = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
            Thread thread = new Thread(r, "crypto");
            thread.setDaemon(true);
            return thread;
        });
        Dkim dkim = Dkim.of(config, dns, crypto, metrics);
        SmtpDeliverer deliverer = new SmtpDeliverer(config.client(), dns, policies, group, clientChannel, metrics, reporting);
        // DKIM2 signs per transaction, so it sits between the queue and the SMTP client (docs/dkim2.md).
        Deliverer delivering = dkim.dkim2Signers().isEmpty() ? deliverer : new Dkim2Hops(deliverer, dkim.dkim2Signers(),
                config.listeners().stream().filter(l -> l.role() == ListenerRole.SUBMISSION).map(Config.Listener::name)
                        .collect(Collectors.toSet()), dkim2Verifier(dns, Clock.systemUTC()), crypto, Clock.systemUTC());
        MailQueue queue = new MailQueue(config.queue(), delivering, metrics);
        metrics.watchQueue(queue);
        metrics.watchPins(pinCounters);
        if (dns instanceof CachingDnsResolver cache) {
            metrics.watchDnsCache(cache);
        }
        ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "maintenance");
            thread.setDaemon(true);
            return thread;
        });
        DurableStore state = new DurableStore(config.queueDirectory().resolve("state"));
        PinStatistics statistics = new PinStatistics(pinCounters, state, maintenance);
        Relay relay = new Relay(group, deliverer, queue, pins, statistics, maintenance);
        relay.mtaSts = mtaSts;
        relay.reporting = reporting;
        relay.crypto = crypto;
        relay.metrics = metrics;
        relay.tls = tls;
        // Submission listeners sign first, then seal: our ARC set goes on top of the DKIM-Signature.
        MessageFilter outbound = FilterChain.of(dkim.signing(), Dkim.arcSealing(config, crypto));
        ServerKeySet xkeys = null;
        if (config.xkeys()) {
            xkeys = ServerKeySet.load(config.hostname(), pair, config.tlsNextCertFile(), dkim.advertised(),
                    config.xkeysLifetime(), state, Clock.systemUTC());
            relay.xkeys = xkeys;
            KeySet advertised = xkeys.get();
            LOG.info("XKEYS key set {} (serial {}, valid until {})", advertised.hash(), advertised.serial(),
                    advertised.notAfter());
            ServerKeySet renewing = xkeys;
            maintenance.scheduleWithFixedDelay(() -> {
                try {
                    renewing.renewIfDue();
                } catch (IOException | ConfigException | RuntimeException e) {
                    LOG.warn("warning: cannot renew the XKEYS key set: {}", e.getMessage());
                }
            }, 10, 10, TimeUnit.SECONDS);
        }
        RecipientCheck recipientCheck = switch (config.recipientVerification().mode()) {
            case PROBE -> deliverer.recipientProbe(config.recipientVerification().probe());
            case FILE -> relay.recipientFile = RecipientFile.load(config.recipientVerification().file().get());
            case OFF -> null;
        };
        try {
            queue.start();
            try {
                // the queue commands (docs/queue.md) and sealpost tlsrpt flush (docs/tlsrpt.md)
                relay.control = ControlSocket.open(config.queueDirectory(), queue,
                        reporting == null ? null : () -> relay.flushReports(reportSettings, dns));
            } catch (IOException e) {
                LOG.warn("warning: cannot open the control socket in {} ({}); the sealpost queue commands cannot reach "
                        + "this relay", config.queueDirectory(), e.getMessage());
            }
            if (reporting != null) {
                // Reports go through our own queue, DKIM-signed and with TLS-Required: No (docs/tlsrpt.md).
                reporting.sendDaily(reportSettings, dns, queue);
            }
            // One memory of the DKIM2 transmissions queued, for every mx listener (docs/dkim2.md).
            Dkim2Duplicates duplicates = config.dkim().verifyDkim2() && config.dkim().dkim2Duplicates()
                    ? new Dkim2Duplicates(dkim2Options(Clock.systemUTC()).maxAge()) : null;
            for (Config.Listener listener : config.listeners()) {
                ListenerSettings settings = new ListenerSettings(listener.name(), listener.role(), listener.address(),
                        config.hostname(), config.trustedNetworks(), config.localDomains(),
                        listener.starttls() ? tls : null, logins, config.limits(), listener.starttls() ? xkeys : null,
                        listener.role() == ListenerRole.MX ? inboundChecks(config, listener.dmarcPolicy(), dns,
                                Clock.systemUTC(), config.authservId(), List.of(), pins, metrics, duplicates) : outbound,
                        dkim.senderLogins(), listener.role() == ListenerRole.MX ? recipientCheck : null,
                        listener.role() == ListenerRole.MX ? new ClientName(dns) : null);
                SmtpServer server = new SmtpServer(settings, queue, group, serverChannel, metrics);
                relay.servers.add(server);
                metrics.watchListener(listener.name(), server::openConnections);
                try {
                    relay.bound.put(listener.name(), server.start());
                } catch (Exception e) { // Netty throws the bind's IOException without declaring it
                    if (!(e instanceof IOException bind)) {
                        throw e;
                    }
                    StartupFailure failure = ListenFailure.of(listener, bind);
                    if (config.listenerBindFailure() == Config.BindFailure.EXIT) {
                        throw failure;
                    }
                    LOG.warn("warning: {}; trying again every {} seconds (listener_bind_failure = retry)",
                            failure.getMessage(), BIND_RETRY.toSeconds());
                    relay.bindLater(listener, server);
                    continue;
                }
                LOG.info("listener {} ({}) on {}{}", listener.name(), listener.role().name().toLowerCase(),
                        relay.bound.get(listener.name()), listener.starttls() ? " with STARTTLS" : "");
            }
            if (config.metricsAddress().isPresent()) {
                relay.metricsServer = metricsServer(config, metrics, relay.health(config, probed));
            }
            if (config.publishing().listen().isPresent()) {
                relay.policyServer = policyServer(config.publishing());
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            relay.close();
            throw e;
        }
        relay.started = true;
        if (reporting != null) { // after the start, so that a failed start says only why it failed
            LOG.info("TLS reporting on: reports from {} ({}), sessions counted in {}", reportSettings.from(),
                    reportSettings.organization(), TlsReporting.directory(config.queueDirectory()));
        } else {
            LOG.info("TLS reporting off: tlsrpt_from and tlsrpt_organization are not set (docs/tlsrpt.md)");
        }
        LOG.info(providers.startLine());
        LOG.info(engine.startLine());
        LOG.info("sealpost started: hostname {}, queue {}, {} event loop", config.hostname(),
                config.queueDirectory(), epoll ? "epoll" : "nio");
        warnIfRoot(); // after the start, so that a failed start says only why it failed
        return relay;
    }

    /** sealpost tlsrpt flush on the running relay: the reports pending now, today's so far included. */
    private QueueReply flushReports(ReportSettings settings, DnsResolver dns) {
        List<String> lines;
        try {
            lines = reporting.send(settings, dns, queue, true);
        } catch (IOException e) {
            return new QueueReply(QueueReply.FAILED, List.of(), "the reports went, but the counts in "
                    + "queue_directory/tlsrpt could not be saved (" + e.getMessage() + "); see the log");
        }
        boolean kept = lines.stream().anyMatch(line -> line.endsWith("kept for the next run"));
        return new QueueReply(kept ? QueueReply.FAILED : QueueReply.OK,
                lines.isEmpty() ? List.of("tlsrpt: nothing to report") : lines,
                kept ? "some reports wait for a later run" : "");
    }

    /** How often listener_bind_failure = retry tries a listener's address again. */
    private static final Duration BIND_RETRY = Duration.ofSeconds(5);

    /**
     * listener_bind_failure = retry: the listener's address is tried again until it is free (Postfix's
     * smtpd still on port 25 while Sealpost takes over, say); until then /health says it is not bound.
     */
    private void bindLater(Config.Listener listener, SmtpServer server) {
        maintenance.schedule(() -> {
            try {
                bound.put(listener.name(), server.start());
                LOG.info("listener {} ({}) on {}{} (bound after retrying)", listener.name(),
                        listener.role().name().toLowerCase(), bound.get(listener.name()),
                        listener.starttls() ? " with STARTTLS" : "");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // closing
            } catch (Exception e) {
                if (!maintenance.isShutdown()) {
                    bindLater(listener, server);
                }
            }
        }, BIND_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What /health checks: each listener's socket, the queue's folder for arriving mail, the resolvers. */
    private Health health(Config config, DnsResolver probed) {
        Map<String, java.util.function.Supplier<String>> listeners = new LinkedHashMap<>();
        for (int i = 0; i < servers.size(); i++) {
            SmtpServer server = servers.get(i);
            listeners.put(config.listeners().get(i).name(), () -> {
                InetSocketAddress address = server.boundAddress();
                return address == null ? null : address.getAddress().getHostAddress() + ":" + address.getPort();
            });
        }
        // The probe's timeout: the resolvers' own, but a health check answers within a few seconds.
        Duration timeout = config.dns().timeout().compareTo(Duration.ofSeconds(3)) > 0 ? Duration.ofSeconds(3)
                : config.dns().timeout();
        return new Health(listeners, config.queueDirectory().resolve("incoming"), probed, config.hostname(),
                timeout.plusMillis(500), Clock.systemUTC());
    }

    /** The /metrics and /health endpoint on metrics_address; a failure to bind says which key to change. */
    private static MetricsServer metricsServer(Config config, Metrics metrics, Health health) throws StartupFailure {
        InetSocketAddress address = config.metricsAddress().get();
        try {
            MetricsServer server = MetricsServer.start(address, metrics, health);
            InetSocketAddress bound = server.address();
            LOG.info("metrics on http://{}:{}/metrics, health on /health", bound.getAddress().getHostAddress(),
                    bound.getPort());
            return server;
        } catch (IOException e) {
            throw ListenFailure.of("metrics_address", "metrics_address", address, e);
        }
    }

    /**
     * Our MTA-STS policy over HTTPS on mta_sts_policy_listen (docs/mta-sts.md). A certificate that
     * does not name mta-sts.DOMAIN for a policy domain is started with a warning: senders then find
     * no valid policy for that domain (sts-webpki-invalid) and deliver as if there were none.
     */
    private static PolicyServer policyServer(Config.Publishing publishing) throws StartupFailure {
        TlsKeyPair pair = TlsKeyPair.read("mta_sts_policy_cert_file", publishing.certFile().get(), "mta_sts_policy_key_file",
                publishing.keyFile().get());
        List<String> names = org.sealpost.keyexchange.policy.CertificateNames.of(pair.leaf());
        for (String domain : publishing.domains()) {
            String host = PolicyFile.policyHost(domain);
            if (names.stream().noneMatch(name -> org.sealpost.keyexchange.policy.CertificateNames.matches(name, host))) {
                LOG.warn("warning: mta_sts_policy_cert_file {} does not name {} (it names {}): senders will not accept "
                        + "the policy of {}; use a certificate from a public authority that names it",
                        pair.certificateFile(), host, names, domain);
            }
        }
        if (!PolicyFile.unusableMx(publishing).isEmpty()) {
            throw new StartupFailure("mta_sts_policy_listen: the policy names " + PolicyFile.unusableMx(publishing)
                    + " as its mx, which is no MX host name (mta_sts_policy_mx defaults to hostname); set "
                    + "mta_sts_policy_mx to the MX hosts of " + String.join(", ", publishing.domains()));
        }
        InetSocketAddress address = publishing.listen().get();
        PolicyFile policy = PolicyFile.of(publishing);
        try {
            PolicyServer server = PolicyServer.start(address, pair.sslContext(), java.util.Set.copyOf(publishing.domains()),
                    policy);
            LOG.info("mta-sts policy id {} served on https://{}:{}{} for {}", policy.id(),
                    server.address().getAddress().getHostAddress(), server.address().getPort(), PolicyFile.PATH,
                    String.join(", ", publishing.domains()));
            return server;
        } catch (IOException e) {
            throw ListenFailure.of("mta_sts_policy_listen", "mta_sts_policy_listen", address, e);
        }
    }

    /** Where our MTA-STS policy is served, when mta_sts_policy_listen is set (useful with port 0). */
    public java.util.Optional<InetSocketAddress> policyAddress() {
        return java.util.Optional.ofNullable(policyServer).map(PolicyServer::address);
    }

    /** The address of /metrics and /health, when metrics_address is set (useful with port 0). */
    public java.util.Optional<InetSocketAddress> metricsAddress() {
        return java.util.Optional.ofNullable(metricsServer).map(MetricsServer::address);
    }

    /**
     * The inbound checks of an mx listener (SPF, DKIM, ARC, DMARC, one verdict; docs/verification.md), as
     * the configuration sets them; {@code sealpost auth check} runs the same. {@code extraTrustedSealers}
     * are trusted beside arc_trusted_sealers; {@code pins} (null for none) are the held XKEYS pins whose key
     * sets give the From domains' signing policy (xkeys_signing_policy, docs/xkeys.md).
     */
    public static InboundChecks inboundChecks(Config config, DmarcMode mode, DnsResolver dns, Clock clock,
            String authservId, List<String> extraTrustedSealers, PinStore pins) {
        return inboundChecks(config, mode, dns, clock, authservId, extraTrustedSealers, pins, Metrics.none(), null);
    }

    /**
     * The same, counting each message's results in {@code metrics}, and reporting copies of the DKIM2
     * transmissions {@code duplicates} remembers (null: no duplicate check).
     */
    static InboundChecks inboundChecks(Config config, DmarcMode mode, DnsResolver dns, Clock clock,
            String authservId, List<String> extraTrustedSealers, PinStore pins, Metrics metrics,
            Dkim2Duplicates duplicates) {
        Config.Dkim dkim = config.dkim();
        VerifierOptions options = VerifierOptions.defaults().withClock(clock).withClockSkew(dkim.clockSkew());
        DkimVerifier verifier = dkim.verify() ? new DkimVerifier(dns, options.withMaxSignatures(dkim.maxSignatures()))
                : null;
        List<String> sealers = new ArrayList<>(config.arcTrustedSealers());
        sealers.addAll(extraTrustedSealers);
        return new InboundChecks(new SpfChecker(SpfDns.over(dns), config.hostname(), clock), verifier,
                new ArcVerifier(dns, options), new DmarcEvaluator(dns), new TrustedSealers(sealers), authservId, mode,
                pins == null ? null : new SigningPolicy(pins, dns, config.client().routes(), clock),
                config.pins().signingPolicy(), metrics, dkim.verifyDkim2() ? dkim2Verifier(dns, clock) : null, duplicates,
                dkim.dkim2ReportCheck() && !dkim.dkim2Domains().isEmpty() ? new Dkim2Reports(dns, dkim.dkim2Domains()) : null);
    }

    /** The DKIM2 verifier of mx listeners and of chains passed on: earlier versions recreated, changes reported. */
    private static Dkim2Verifier dkim2Verifier(DnsResolver dns, Clock clock) {
        return new Dkim2Verifier(dns, dkim2Options(clock));
    }

    /** How DKIM2 chains are verified: every earlier version recreated from the recipes. */
    private static Dkim2VerifierOptions dkim2Options(Clock clock) {
        return Dkim2VerifierOptions.defaults().withClock(clock).withEarlierVersions(Dkim2Recipes.ENGINE);
    }

    /**
     * Reads the TLS certificates and keys of {@code config} again (tls_cert_file, tls_key_file,
     * tls_next_cert_file with tls_next_key_file): STARTTLS presents the new pair from the next
     * connection on, and the XKEYS key set names the new current and next keys; recipient_file is
     * read again. Other settings take effect at the next start. On failure nothing changes and the
     * exception says why.
     *
     * @return what is in use now, for the log line
     */
    public synchronized String reload(Config config) throws ConfigException, IOException {
        // Read before anything changes: a reload applies all or nothing.
        Runnable recipients = recipientFile == null ? null : recipientFile.reread();
        String tlsInUse = reloadTls(config);
        if (recipients == null) {
            return tlsInUse;
        }
        recipients.run();
        return tlsInUse + ", recipient_file " + recipientFile.file() + " (" + recipientFile.size() + " entries)";
    }

    private String reloadTls(Config config) throws ConfigException, IOException {
        if (tls == null) {
            return config.tlsCertFile().isPresent() ? "tls_cert_file was not set at start: restart to offer STARTTLS"
                    : "no TLS certificate configured";
        }
        if (config.tlsCertFile().isEmpty()) {
            throw new StartupFailure("tls_cert_file is no longer set; the listeners go on with "
                    + tls.pair().certificateFile() + " (restart to run without STARTTLS)");
        }
        TlsKeyPair pair = TlsKeyPair.read(config.tlsCertFile().get(), config.tlsKeyFile().get());
        nextPair(config);
        SslContext context = ServerTls.context(pair);
        if (xkeys != null) {
            xkeys.reload(pair, config.tlsNextCertFile());
        }
        tls.use(pair, context);
        String next = config.tlsNextCertFile().map(file -> ", tls_next_cert_file " + file
                + (Files.exists(file) ? "" : " (not there yet)")).orElse("");
        String keySet = xkeys == null ? "" : ", XKEYS key set " + xkeys.get().hash() + " (serial " + xkeys.get().serial() + ")";
        return "tls_cert_file " + pair.certificateFile() + " (key " + KeySet.spkiSha256(pair.leaf().getPublicKey())
                .substring(0, 16) + ")" + next + keySet;
    }

    /** tls_next_cert_file and tls_next_key_file, when both files are there, must be a pair too. */
    static void nextPair(Config config) throws StartupFailure {
        if (config.tlsNextCertFile().isPresent() && config.tlsNextKeyFile().isPresent()
                && Files.exists(config.tlsNextCertFile().get()) && Files.exists(config.tlsNextKeyFile().get())) {
            TlsKeyPair.read("tls_next_cert_file", config.tlsNextCertFile().get(), "tls_next_key_file",
                    config.tlsNextKeyFile().get());
        }
    }

    /** The certificate authorities for the verify and secure levels: tls_ca_file, or the JDK's cacerts. */
    static Set<TrustAnchor> authorities(Config config) throws ConfigException {
        return OutboundPolicies.authorities(config);
    }

    /** The resolver the configuration asks for, behind the answer cache. */
    static DnsResolver dns(Config config) throws ConfigException {
        return cached(config, upstream(config));
    }

    /** {@code upstream} behind the answer cache, unless dns_cache_size is 0. */
    private static DnsResolver cached(Config config, DnsResolver upstream) {
        Config.Dns settings = config.dns();
        return settings.cacheSize() == 0 ? upstream
                : new CachingDnsResolver(upstream, settings.cacheSize(), settings.cacheMinTtl(), settings.cacheMaxTtl());
    }

    /** The resolvers the configuration names, as dnssec asks them to be trusted. */
    private static DnsResolver upstream(Config config) throws ConfigException {
        Config.Dns settings = config.dns();
        DnsResolver upstream;
        try {
            upstream = switch (settings.dnssec()) {
                case VALIDATE -> new ValidatingDnsResolver(config.dnsResolvers(), settings.timeout(),
                        settings.trustAnchorFile().isEmpty() ? TrustAnchors.root()
                                : TrustAnchors.fromFile(settings.trustAnchorFile().get(), settings.replaceRootAnchors()));
                case AD_BIT -> new PlainDnsResolver(config.dnsResolvers(), settings.timeout(), true);
                case OFF -> new PlainDnsResolver(config.dnsResolvers(), settings.timeout(), false);
            };
        } catch (IOException e) {
            throw new ConfigException("dnssec_trust_anchor_file " + settings.trustAnchorFile().orElse(null)
                    + ": cannot read the trust anchors (" + e.getMessage() + "); expected DS or DNSKEY lines in zone-file form");
        }
        return upstream;
    }

    /** The address each listener is bound to, by listener name (useful with port 0). */
    public Map<String, InetSocketAddress> boundAddresses() {
        return Map.copyOf(bound);
    }

    /** Stops accepting, lets attempts in flight finish briefly, closes connections. */
    @Override
    public void close() {
        if (metricsServer != null) {
            metricsServer.close();
        }
        if (policyServer != null) {
            policyServer.close();
        }
        servers.forEach(SmtpServer::close);
        if (control != null) {
            control.close();
        }
        queue.close();
        deliverer.close();
        if (reporting != null) {
            reporting.close(); // after the deliveries: their last sessions are saved too
        }
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        maintenance.shutdownNow();
        if (crypto != null) {
            crypto.shutdown();
        }
        pins.close();
        if (mtaSts != null) {
            mtaSts.close();
        }
        statistics.close();
        if (metrics != null) {
            metrics.close();
        }
        if (queueDirectory != null) {
            queueDirectory.close(); // last: everything that writes in the queue has stopped
        }
        if (started) { // a start that failed has said why, and nothing had started
            LOG.info("sealpost stopped");
        }
    }
}
