package org.sealpost.transport.smtp.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import org.sealpost.keyexchange.policy.Failure;
import org.sealpost.keyexchange.policy.HostPolicy;
import org.sealpost.keyexchange.policy.Rfc8460ResultType;
import org.sealpost.keyexchange.policy.TlsLevel;
import org.sealpost.transport.tls.TlsEngines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a connection ready for mail, as a list of named steps: connect, greeting, EHLO, STARTTLS
 * as the hop policy asks, EHLO again, verify the peer. Every failure names the host and stage.
 */
final class Connector {

    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);

    private final ClientSettings settings;
    private final EventLoopGroup group;
    private final Class<? extends Channel> channelType;
    private final SslContext tls;
    private final TlsSessions sessions;

    /** A connector that counts no session (`sealpost check`). */
    Connector(ClientSettings settings, EventLoopGroup group, Class<? extends Channel> channelType) {
        this(settings, group, channelType, TlsSessions.NONE);
    }

    /** @param sessions where the TLS outcome of each counted session goes (TLS-RPT, metrics) */
    Connector(ClientSettings settings, EventLoopGroup group, Class<? extends Channel> channelType, TlsSessions sessions) {
        this.sessions = sessions;
        this.settings = settings;
        this.group = group;
        this.channelType = channelType;
        try {
            // The TLS layer accepts any chain: whether the peer is authenticated is the policies' call.
            // The engine is tls_engine's (TlsEngines), with its protocols and groups.
            this.tls = TlsEngines.current().configure(SslContextBuilder.forClient()
                    .trustManager(InsecureTrustManagerFactory.INSTANCE)).build();
        } catch (SSLException e) {
            throw new IllegalStateException("the TLS engine is unavailable: " + e.getMessage(), e);
        }
    }

    /** A connection whose session is not counted for TLS-RPT. */
    CompletableFuture<SmtpConnection> open(Target target, HostPolicy policy, String domain) {
        return open(target, policy, domain, false);
    }

    /**
     * @param counted whether the session's TLS outcome is counted (TLS-RPT): once, here, however many
     *     messages the connection carries later
     */
    CompletableFuture<SmtpConnection> open(Target target, HostPolicy policy, String domain, boolean counted) {
        TlsSessions counting = counted ? sessions : TlsSessions.NONE;
        return open(target, policy, domain, false, counting).exceptionallyCompose(failure -> {
            HopFailure hop = HopFailure.of(failure, "4.4.1");
            // Opportunistic TLS: a failed handshake is retried once in plaintext, as a peer with a
            // broken TLS stack would otherwise never get mail (RFC 7435 opportunistic security).
            if (policy.level() == TlsLevel.MAY && hop.tlsHandshake()) {
                LOG.info("{}; trying again in plaintext (policy may)", hop.getMessage());
                // The failed handshake was counted; the plaintext retry is its fallback, not another session.
                return open(target, policy, domain, true, TlsSessions.NONE);
            }
            return CompletableFuture.failedFuture(hop);
        });
    }

    private CompletableFuture<SmtpConnection> open(Target target, HostPolicy policy, String domain, boolean plaintext,
            TlsSessions counting) {
        return connect(target)
                .thenCompose(this::greeting)
                .thenCompose(connection -> ehlo(connection, domain))
                .thenCompose(connection -> starttls(connection, policy, domain, plaintext, counting))
                .thenCompose(connection -> verify(connection, policy, domain, plaintext, counting));
    }

    private CompletableFuture<SmtpConnection> connect(Target target) {
        CompletableFuture<SmtpConnection> connected = new CompletableFuture<>();
        SmtpConnection[] holder = new SmtpConnection[1];
        new Bootstrap().group(group).channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        holder[0] = new SmtpConnection(ch, target, settings.greetingTimeout());
                        ch.pipeline().addLast("replies", new ReplyDecoder()).addLast("connection", holder[0]);
                    }
                })
                .connect(target.address(), target.port()).addListener(f -> {
                    if (f.isSuccess()) {
                        connected.complete(holder[0]);
                    } else {
                        connected.completeExceptionally(new HopFailure("4.4.1", "connect to " + target + ": "
                                + connectProblem(f.cause()), HopFailure.Kind.UNREACHABLE, null));
                    }
                });
        return connected;
    }

    /** The words of the operating system for a failed connect, as Postfix logs them, without Netty's decoration. */
    static String connectProblem(Throwable cause) {
        if (cause instanceof io.netty.channel.ConnectTimeoutException) {
            return "Connection timed out";
        }
        String text = String.valueOf(cause.getMessage());
        for (String known : KNOWN_CONNECT_PROBLEMS) {
            if (text.toLowerCase(Locale.ROOT).contains(known.toLowerCase(Locale.ROOT))) {
                return known;
            }
        }
        // "finishConnect(..) failed with error(-111): X: /192.0.2.7:25" (native transport), "X: /192.0.2.7:25" (NIO)
        return text.replaceFirst("^\\w+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ", "")
                .replaceFirst(": [^ ]*/[0-9A-Fa-f.:%]+:[0-9]+$", "");
    }

    private static final java.util.List<String> KNOWN_CONNECT_PROBLEMS = java.util.List.of("Connection refused",
            "Connection timed out", "No route to host", "Network is unreachable", "Host is unreachable",
            "Connection reset by peer", "Cannot assign requested address", "Permission denied");

    private CompletableFuture<SmtpConnection> greeting(SmtpConnection connection) {
        return connection.greeting().thenCompose(reply -> reply.code() == 220 ? done(connection)
                : refuse(connection, "host " + connection.target() + " refused to talk to me: " + reply.text()));
    }

    private CompletableFuture<SmtpConnection> ehlo(SmtpConnection connection, String domain) {
        return connection.send("EHLO " + settings.hostname(), settings.commandTimeout(), true)
                .thenCompose(reply -> reply.code() / 100 == 5
                        ? connection.send("HELO " + settings.hostname(), settings.commandTimeout(), true) : done(reply))
                .thenCompose(reply -> {
                    if (reply.code() != 250) {
                        return refuse(connection, "host " + connection.target() + " refused to talk to me: " + reply.text());
                    }
                    String name = reply.lines().isEmpty() ? "" : reply.lines().get(0).split("\\s+")[0];
                    if (name.equalsIgnoreCase(settings.hostname())) {
                        // Deferred rather than bounced: a loop is a configuration mistake the operator
                        // can fix within the queue lifetime, and nothing is lost meanwhile.
                        connection.quit();
                        return CompletableFuture.failedFuture(new HopFailure("4.4.6", "mail for " + domain
                                + " loops back to myself (" + connection.target() + " greets as " + name + ")", false));
                    }
                    connection.ehlo(reply);
                    return done(connection);
                });
    }

    private CompletableFuture<SmtpConnection> starttls(SmtpConnection connection, HostPolicy policy, String domain,
            boolean plaintext, TlsSessions counting) {
        boolean offered = connection.ehloReply().hasKeyword("STARTTLS");
        if (policy.level() == TlsLevel.NONE || plaintext || (policy.level() == TlsLevel.MAY && !offered)) {
            return done(connection);
        }
        if (!offered) {
            // encrypt, a host with usable TLSA records or a pinned one: never plaintext (RFC 7672
            // 2.2). The policy sees the session first, so that a pin can say it was stripped.
            return done(connection);
        }
        return connection.send("STARTTLS", settings.commandTimeout(), true).thenCompose(reply -> {
            if (reply.code() != 220) {
                if (policy.level() == TlsLevel.MAY) {
                    return done(connection); // RFC 3207 4: the client may go on without TLS
                }
                connection.quit();
                // RFC 8460 4.3.1: offered, then refused, is STARTTLS not supported
                counting.failed(policy, domain, connection, connection.target(), Rfc8460ResultType.STARTTLS_NOT_SUPPORTED,
                        reasonCode(reply));
                return CompletableFuture.failedFuture(new HopFailure("4.7.5", "host " + connection.target()
                        + " refused STARTTLS: " + reply.text(), false));
            }
            String sni = NextHops.literal(connection.target().host()) == null ? connection.target().host() : null;
            return connection.startTls(tls, sni, settings.commandTimeout())
                    .exceptionallyCompose(failure -> {
                        counting.failed(policy, domain, connection, connection.target(), TlsSessions.handshake(failure),
                                SmtpConnection.shortReason(failure));
                        return CompletableFuture.failedFuture(
                                new HopFailure("4.7.5", HopFailure.of(failure, "4.7.5").getMessage(), true));
                    })
                    .thenCompose(session -> connection.send("EHLO " + settings.hostname(), settings.commandTimeout(), true))
                    .thenCompose(again -> {
                        if (again.code() != 250) {
                            return refuse(connection, "host " + connection.target() + " refused EHLO after STARTTLS: "
                                    + again.text());
                        }
                        connection.ehlo(again);
                        return done(connection);
                    });
        });
    }

    private CompletableFuture<SmtpConnection> verify(SmtpConnection connection, HostPolicy policy, String domain,
            boolean plaintext, TlsSessions counting) {
        // Back on the connection's event loop: a check may complete on the pin store's writer.
        return policy.afterHandshake(new ConnectionPeer(connection, settings.commandTimeout())).thenComposeAsync(check -> {
            if (connection.tls() == null) {
                if (check.passed() && !policy.level().requiresTls()) {
                    if (!plaintext && policy.level() != TlsLevel.NONE) {
                        // No TLS where none was required is still no "successfully negotiated TLS-enabled
                        // connection" (RFC 8460 4.4): starttls-not-supported, unless a policy found worse.
                        Failure found = check.reportOnly();
                        counting.failed(policy, domain, connection, connection.target(), found != null
                                ? found.resultType() : Rfc8460ResultType.STARTTLS_NOT_SUPPORTED,
                                found != null ? found.enhancedCode() : "");
                    }
                    return done(connection);
                }
                connection.quit();
                String reason = "TLS is required by policy " + policy.level().configName() + " (" + policy.decidedBy()
                        + "), but was not offered by host " + connection.target() + (check.passed() ? "" : " (" + check.reason() + ")");
                Failure failure = check.passed() ? Failure.temporary("4.7.4", policy.decidedBy(),
                        Rfc8460ResultType.STARTTLS_NOT_SUPPORTED, reason) : check.failure();
                counting.failed(policy, domain, connection, connection.target(), failure.resultType(), failure.enhancedCode());
                return CompletableFuture.failedFuture(new HopFailure("4.7.4", reason, false).refusedBy(failure));
            }
            String kind = check.method().equals("none") ? "Anonymous" : check.passed() ? "Verified" : "Untrusted";
            LOG.info("{} TLS connection established to {}: {} with cipher {}{}", kind, connection.target(),
                    connection.tls().getProtocol(), connection.tls().getCipherSuite(),
                    connection.tlsGroup() == null ? "" : " key-exchange " + connection.tlsGroup());
            if (!check.passed()) {
                counting.failed(policy, domain, connection, connection.target(), check.failure().resultType(),
                        check.failure().enhancedCode());
                connection.quit();
                // The log says what was reached, and that the check of it failed ("TLSv1.3 ... (dane failed)").
                String method = check.method().toLowerCase(Locale.ROOT);
                return CompletableFuture.failedFuture(new HopFailure(check.failure().enhancedCode(), "Server certificate not verified for "
                        + connection.target() + " (" + check.method() + "): " + check.reason(),
                        HopFailure.Kind.OTHER, connection.tlsDescription(method + " failed")).refusedBy(check.failure()));
            }
            connection.verified(check.method().toLowerCase(Locale.ROOT));
            if (check.reportOnly() != null) {
                // RFC 8461 5 testing mode (or a policy that could not be fetched): delivered, and reported
                counting.failed(policy, domain, connection, connection.target(), check.reportOnly().resultType(),
                        check.reportOnly().enhancedCode());
            } else {
                counting.passed(policy, domain);
            }
            return done(connection);
        }, connection.executor());
    }

    /** A reply's code and enhanced status code ("454 4.7.0"), the failure-reason-code of a refused STARTTLS. */
    static String reasonCode(SmtpReply reply) {
        String first = reply.lines().isEmpty() ? "" : reply.lines().get(0);
        java.util.regex.Matcher code = ENHANCED.matcher(first);
        return reply.code() + (code.find() ? " " + code.group(1) : "");
    }

    private static final java.util.regex.Pattern ENHANCED = java.util.regex.Pattern.compile("^([245]\\.\\d{1,3}\\.\\d{1,3})\\b");

    private static CompletableFuture<SmtpConnection> refuse(SmtpConnection connection, String reason) {
        connection.quit();
        return CompletableFuture.failedFuture(new HopFailure("4.4.1", reason, false).over(connection.tlsDescription()));
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
