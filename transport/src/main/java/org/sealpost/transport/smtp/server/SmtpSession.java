package org.sealpost.transport.smtp.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSession;
import org.sealpost.transport.tls.TlsEngine;
import org.sealpost.transport.metrics.Metrics;
import org.sealpost.transport.queue.BodyType;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.queue.Incoming;
import org.sealpost.transport.queue.MessageSink;
import org.sealpost.transport.queue.Notify;
import org.sealpost.transport.queue.Recipient;
import org.sealpost.keyexchange.pins.KeySet;
import org.sealpost.keyexchange.pins.XkeysWire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP session (RFC 5321): an explicit state and one method per verb, each returning the reply.
 * Replies to pipelined commands are flushed together when a read batch ends (RFC 2920).
 */
final class SmtpSession extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);
    private static final int ERROR_LIMIT = 20;
    private static final Pattern VERB = Pattern.compile("[a-z]{1,10}");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    /** RFC 5322 3.3: a numeric zone; "GMT", as RFC_1123_DATE_TIME writes it, is obsolete syntax. */
    private static final DateTimeFormatter RECEIVED_DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ROOT);

    private enum State { START, READY, MAIL, DATA, CHUNKING, WAITING, AUTH_PLAIN, AUTH_LOGIN_USER, AUTH_LOGIN_PASSWORD }

    private final ListenerSettings settings;
    private final MessageSink sink;
    private final SmtpDecoder decoder;
    private final Executor authExecutor;
    private final Metrics metrics;
    private ChannelHandlerContext ctx;
    private io.netty.util.concurrent.ScheduledFuture<?> sessionTimer;
    private InetAddress clientAddress;
    private int clientPort;
    /** The verified name of an mx listener's client, looked up while the session goes on; or null. */
    private java.util.concurrent.CompletableFuture<String> clientName;
    private String client;

    private State state = State.START;
    private boolean esmtp;
    private String helo = "";
    private SSLSession tls;
    /** The key exchange group of the session, where the engine tells it (BoringSSL does, the JDK's does not). */
    private String group;
    private String authUser = "";
    private String loginUser = "";
    private int errors;
    private final Map<String, Integer> counts = new LinkedHashMap<>();

    // The transaction.
    private String sender;
    private MailParameters mailParameters;
    private final List<Recipient> recipients = new ArrayList<>();
    private boolean sawRejectedRecipient;
    /** Recipients of this transaction refused for the recipient limit. */
    private int overshoot;
    /** What the filter began at MAIL FROM (SPF on an mx listener), or null. */
    private MessageFilter.Transaction filterTransaction;
    private Reception reception;
    private String chunkError;
    private boolean lastChunk;
    private long chunkSize;

    SmtpSession(ListenerSettings settings, MessageSink sink, SmtpDecoder decoder, Executor authExecutor) {
        this(settings, sink, decoder, authExecutor, Metrics.none());
    }

    SmtpSession(ListenerSettings settings, MessageSink sink, SmtpDecoder decoder, Executor authExecutor, Metrics metrics) {
        this.metrics = metrics;
        this.settings = settings;
        this.sink = sink;
        this.decoder = decoder;
        this.authExecutor = authExecutor;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        ctx = context;
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        clientAddress = remote.getAddress();
        clientPort = remote.getPort();
        if (settings.role() == ListenerRole.MX && settings.reverseLookup() != null) {
            clientName = settings.reverseLookup().verifiedName(clientAddress);
        }
        client = "client[" + clientAddress.getHostAddress() + "]";
        LOG.info("connect from {}", client);
        sessionTimer = ctx.executor().schedule(() -> timeout("session"), settings.limits().sessionTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        ctx.writeAndFlush(reply("220 " + settings.hostname() + " ESMTP Sealpost"));
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (sessionTimer == null) {
            return; // refused before the session began (too many connections)
        }
        // Cancelled, or the timer would keep this session in memory for the rest of the hour.
        sessionTimer.cancel(false);
        abortTransaction();
        StringBuilder stats = new StringBuilder();
        int total = 0;
        for (Map.Entry<String, Integer> count : counts.entrySet()) {
            stats.append(' ').append(count.getKey()).append('=').append(count.getValue());
            total += count.getValue();
        }
        LOG.info("disconnect from {}{} commands={}", client, stats, total);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof IdleStateEvent) {
            timeout("idle");
        }
    }

    private void timeout(String which) {
        if (ctx.channel().isActive()) {
            LOG.info("timeout ({}) after {} from {}", which, state.name().toLowerCase(Locale.ROOT), client);
            ctx.writeAndFlush(reply("421 4.4.2 " + settings.hostname() + " Error: timeout exceeded"))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        LOG.info("lost connection with {}: {}", client, cause.getMessage());
        context.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        context.flush();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        if (message instanceof SmtpInput.Content content) {
            try {
                content(content.bytes());
            } finally {
                content.bytes().release();
            }
        } else if (message instanceof SmtpInput.ContentEnd) {
            contentEnd();
        } else if (message instanceof SmtpInput.CommandTooLong) {
            error("500 5.5.2 Error: line too long");
        } else if (message instanceof SmtpInput.CommandNotUtf8) {
            // As Postfix with smtputf8_enable: refused whole, never read with U+FFFD in place of the octets.
            if (state == State.AUTH_PLAIN || state == State.AUTH_LOGIN_USER || state == State.AUTH_LOGIN_PASSWORD) {
                state = State.READY;
            }
            error("500 5.5.2 Error: bad UTF-8 syntax");
        } else if (message instanceof SmtpInput.Command command) {
            command(command.line());
        } else {
            ReferenceCountUtil.release(message);
        }
    }

    private void command(String line) {
        switch (state) {
            case AUTH_PLAIN -> {
                authPlainResponse(line);
                return;
            }
            case AUTH_LOGIN_USER, AUTH_LOGIN_PASSWORD -> {
                authLoginResponse(line);
                return;
            }
            default -> {
            }
        }
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String argument = space < 0 ? "" : line.substring(space + 1);
        String name = verb.toLowerCase(Locale.ROOT);
        counts.merge(VERB.matcher(name).matches() ? name : "unknown", 1, Integer::sum);
        String reply = switch (verb) {
            case "EHLO" -> ehlo(argument);
            case "HELO" -> helo(argument);
            case "MAIL" -> mail(argument);
            case "RCPT" -> rcpt(argument);
            case "DATA" -> data(argument);
            case "BDAT" -> bdat(argument);
            case "RSET" -> rset(argument);
            case "NOOP" -> "250 2.0.0 Ok";
            case "QUIT" -> quit();
            case "VRFY" -> "252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery";
            case "EXPN" -> "502 5.5.1 Error: EXPN is not supported";
            case "HELP" -> "214 2.0.0 See RFC 5321";
            case "STARTTLS" -> starttls(argument);
            case "XKEYS" -> xkeys(argument);
            case "AUTH" -> auth(argument);
            default -> "500 5.5.2 Error: command not recognized";
        };
        if (reply != null) {
            respond(reply);
        }
    }

    /** Writes a reply (flushed at the end of the read batch); counts errors and ends abusive sessions. */
    private void respond(String text) {
        if (text.charAt(0) == '4' || text.charAt(0) == '5') {
            error(text);
        } else {
            ctx.write(reply(text));
        }
    }

    private void error(String text) {
        if (++errors >= ERROR_LIMIT) {
            ctx.writeAndFlush(reply("421 4.7.0 " + settings.hostname() + " Error: too many errors"))
                    .addListener(ChannelFutureListener.CLOSE);
            decoder.pause(ctx);
            return;
        }
        ctx.write(reply(text));
    }

    private String ehlo(String argument) {
        if (argument.isBlank()) {
            return "501 5.5.4 Syntax: EHLO hostname";
        }
        resetTransaction();
        helo = argument.strip();
        esmtp = true;
        state = State.READY;
        List<String> lines = new ArrayList<>();
        lines.add(settings.hostname());
        lines.add("PIPELINING");
        lines.add("SIZE " + settings.limits().messageSizeLimit());
        if (settings.tls() != null && tls == null) {
            lines.add("STARTTLS");
        }
        if (settings.authenticator() != null && settings.role() == ListenerRole.SUBMISSION && tls != null) {
            lines.add("AUTH PLAIN LOGIN");
        }
        lines.add("ENHANCEDSTATUSCODES");
        lines.add("8BITMIME");
        lines.add("DSN");
        lines.add("SMTPUTF8");
        lines.add("CHUNKING");
        if (tls != null) {
            // RFC 8689 2: offered only inside TLS, where a client can trust it was not stripped.
            lines.add("REQUIRETLS");
        }
        if (tls != null && settings.xkeys() != null) {
            // docs/xkeys.md: only inside TLS, where it cannot be stripped or forged unseen.
            lines.add(XkeysWire.KEYWORD + " " + XkeysWire.ehloParameter(settings.xkeys().get()));
        }
        StringBuilder reply = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            reply.append("250").append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i));
            if (i < lines.size() - 1) {
                reply.append("\r\n");
            }
        }
        return reply.toString();
    }

    private String helo(String argument) {
        if (argument.isBlank()) {
            return "501 5.5.4 Syntax: HELO hostname";
        }
        resetTransaction();
        helo = argument.strip();
        esmtp = false;
        state = State.READY;
        return "250 " + settings.hostname();
    }

    private String mail(String argument) {
        if (state == State.START) {
            return "503 5.5.1 Error: send HELO/EHLO first";
        }
        if (state != State.READY) {
            return "503 5.5.1 Error: nested MAIL command";
        }
        if (settings.role() == ListenerRole.SUBMISSION && authUser.isEmpty() && !trusted()) {
            return "530 5.7.0 Authentication required";
        }
        MailParameters parsed = MailParameters.parse(argument, "FROM:");
        if (parsed == null || (!parsed.mailbox().isNull() && parsed.mailbox().domain().isEmpty())) {
            return "501 5.1.7 Error: bad sender address syntax";
        }
        if (!esmtp && !parsed.parameters().isEmpty()) {
            return "555 5.5.4 Error: parameters need EHLO";
        }
        for (Map.Entry<String, String> parameter : parsed.parameters().entrySet()) {
            String value = parameter.getValue();
            String problem = switch (parameter.getKey()) {
                case "SIZE" -> !NUMBER.matcher(value).matches() ? "bad SIZE value"
                        : Long.parseLong(value) > settings.limits().messageSizeLimit() ? "too big" : null;
                case "BODY" -> BodyType.fromKeyword(value) == null ? "unsupported BODY value" : null;
                case "SMTPUTF8" -> value.isEmpty() ? null : "SMTPUTF8 takes no value";
                // RFC 8689 2: a keyword without value, only on a session that is itself protected by TLS.
                case "REQUIRETLS" -> tls == null ? "needs TLS" : value.isEmpty() ? null : "REQUIRETLS takes no value";
                case "RET" -> value.equalsIgnoreCase("FULL") || value.equalsIgnoreCase("HDRS") ? null : "bad RET value";
                // RFC 3461 4.4, RFC 4954 5: xtext, passed on as it came; never an octet the next hop could misread.
                case "ENVID", "AUTH" -> value.isEmpty() ? "empty " + parameter.getKey()
                        : !MailParameters.isXtext(value) ? "bad " + parameter.getKey() + " value" : null;
                default -> "unsupported parameter " + parameter.getKey();
            };
            if ("too big".equals(problem)) {
                return "552 5.3.4 Error: message size exceeds fixed limit";
            }
            if ("needs TLS".equals(problem)) {
                return "530 5.7.10 Error: REQUIRETLS needs an encrypted session; issue STARTTLS first";
            }
            if (problem != null) {
                return "555 5.5.4 Error: " + problem;
            }
        }
        if (!parsed.mailbox().isAscii() && !parsed.parameters().containsKey("SMTPUTF8")) {
            return "553 5.6.7 Error: non-ASCII address needs SMTPUTF8 (RFC 6531)";
        }
        if (settings.senderLogins() != null && !authUser.isEmpty() && !parsed.address().isEmpty()
                && !settings.senderLogins().owns(authUser, parsed.address())) {
            // As Postfix's reject_sender_login_mismatch: a login sends only as the addresses it owns.
            LOG.info("reject: MAIL from {}: 553 5.7.1 <{}>: Sender address rejected: not owned by user {}", client,
                    parsed.address(), authUser);
            return "553 5.7.1 <" + parsed.address() + ">: Sender address rejected: not owned by user " + authUser;
        }
        sender = parsed.address();
        mailParameters = parsed;
        state = State.MAIL;
        return "250 2.1.0 Ok";
    }

    private String rcpt(String argument) {
        if (state != State.MAIL) {
            return "503 5.5.1 Error: need MAIL command";
        }
        MailParameters parsed = MailParameters.parse(argument, "TO:");
        if (parsed == null || parsed.mailbox().isNull()) {
            return "501 5.1.3 Error: bad recipient address syntax";
        }
        Mailbox mailbox = parsed.mailbox();
        if (mailbox.domain().isEmpty()) {
            // RFC 5321 4.5.1: the bare "Postmaster" must be accepted.
            if (mailbox.unquotedLocalPart().equalsIgnoreCase("postmaster") && !settings.localDomains().isEmpty()) {
                mailbox = new Mailbox(mailbox.localPart(), settings.localDomains().iterator().next());
            } else if (settings.role() != ListenerRole.MX || !mailbox.routesElsewhere()) {
                return "501 5.1.3 Error: bad recipient address syntax";
            }
        }
        String address = mailbox.address();
        if (!mailbox.isAscii() && !mailParameters.parameters().containsKey("SMTPUTF8")) {
            return "553 5.6.7 Error: non-ASCII address needs SMTPUTF8 (RFC 6531)";
        }
        if (recipients.size() >= settings.limits().recipientLimit()) {
            // As Postfix's smtpd_recipient_overshoot_limit: a pipelining client sees the limit only in
            // these replies; counted as errors they would end the session before its DATA.
            if (++overshoot <= settings.limits().recipientOvershootLimit()) {
                ctx.write(reply("452 4.5.3 Error: too many recipients"));
                return null;
            }
            return "452 4.5.3 Error: too many recipients";
        }
        Set<Notify> notify = EnumSet.noneOf(Notify.class);
        String orcpt = "";
        for (Map.Entry<String, String> parameter : parsed.parameters().entrySet()) {
            if (parameter.getKey().equals("NOTIFY")) {
                for (String value : parameter.getValue().split(",")) {
                    try {
                        notify.add(Notify.valueOf(value.toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        return "501 5.5.4 Error: bad NOTIFY value";
                    }
                }
                if (notify.contains(Notify.NEVER) && notify.size() > 1) {
                    return "501 5.5.4 Error: NOTIFY=NEVER cannot be combined";
                }
            } else if (parameter.getKey().equals("ORCPT")) {
                // RFC 3461 4.2: addr-type ";" xtext
                if (!parameter.getValue().contains(";") || !MailParameters.isXtext(parameter.getValue())) {
                    return "501 5.5.4 Error: bad ORCPT value";
                }
                orcpt = parameter.getValue();
            } else {
                return "555 5.5.4 Error: unsupported parameter " + parameter.getKey();
            }
        }
        // An mx listener takes mail for its local domains only, and never a local part that the Postfix
        // behind it would route elsewhere (Sealpost is in its mynetworks): as reject_unauth_destination.
        if (settings.role() == ListenerRole.MX
                && (!settings.localDomains().contains(mailbox.domainLowerCase()) || mailbox.routesElsewhere())) {
            sawRejectedRecipient = true;
            LOG.info("reject: RCPT from {}: 554 5.7.1 <{}>: Relay access denied; from=<{}> to=<{}>", client, address,
                    sender, address);
            metrics.received(settings.name(), "rcpt", "554");
            return "554 5.7.1 <" + address + ">: Relay access denied";
        }
        Recipient recipient = new Recipient(address, notify, orcpt);
        // RFC 5321 4.5.1: postmaster is taken whatever the next hop says.
        if (settings.role() != ListenerRole.MX || settings.recipientCheck() == null
                || mailbox.unquotedLocalPart().equalsIgnoreCase("postmaster")) {
            accept(recipient);
            return "250 2.1.5 Ok";
        }
        verify(recipient, mailbox.domainLowerCase());
        return null;
    }

    /**
     * Takes a recipient. The filter's transaction (SPF on an mx listener) begins with the first one, not at
     * MAIL FROM: a transaction whose every recipient is refused (a relay probe, a dictionary attack) costs no
     * DNS lookup, and nobody can make this MX query the SPF records of domains of their choosing for free.
     */
    private void accept(Recipient recipient) {
        recipients.add(recipient);
        if (recipients.size() == 1 && settings.filter() != null) {
            filterTransaction = settings.filter().begin(clientAddress, helo, sender);
        }
    }

    /**
     * The recipient check may wait for the next hop: off the event loop, and the reply (with any
     * commands pipelined behind it) waits, as the reply to DATA waits for the checks.
     */
    private void verify(Recipient recipient, String domain) {
        state = State.WAITING;
        decoder.pause(ctx);
        settings.recipientCheck().check(recipient.address(), domain).whenComplete((answer, failure) ->
                ctx.executor().execute(() -> {
                    state = State.MAIL;
                    String refusal = failure != null
                            ? "451 4.3.0 <" + recipient.address() + ">: Recipient address rejected: cannot check it now"
                            : answer.orElse(null);
                    if (refusal == null) {
                        accept(recipient);
                        respond("250 2.1.5 Ok");
                    } else {
                        sawRejectedRecipient = true;
                        metrics.received(settings.name(), "rcpt", refusal);
                        LOG.info("NOQUEUE: reject: RCPT from {}: {}; from=<{}> to=<{}>", client, refusal, sender,
                                recipient.address());
                        respond(refusal);
                    }
                    decoder.resume(ctx);
                    ctx.flush();
                }));
    }

    private String data(String argument) {
        if (!argument.isBlank()) {
            return "501 5.5.4 Syntax: DATA";
        }
        String refusal = beginContent();
        if (refusal != null) {
            return refusal;
        }
        state = State.DATA;
        decoder.expectData();
        return "354 End data with <CR><LF>.<CR><LF>";
    }

    private String bdat(String argument) {
        String[] words = WHITESPACE.split(argument.trim());
        boolean last = words.length == 2 && words[1].equalsIgnoreCase("LAST");
        if (words[0].isEmpty() || !NUMBER.matcher(words[0]).matches() || words.length > 2 || (words.length == 2 && !last)) {
            return "501 5.5.4 Syntax: BDAT size [LAST]";
        }
        long size = Long.parseLong(words[0]);
        if (state != State.CHUNKING) {
            String refusal = beginContent();
            if (refusal != null) {
                // RFC 3030 2: the chunk is read and discarded even when the command fails.
                discardChunk(size, refusal);
                return null;
            }
            chunkError = null;
        }
        state = State.CHUNKING;
        lastChunk = last;
        chunkSize = size;
        if (size == 0) {
            contentEnd();
        } else {
            decoder.expectChunk(size);
        }
        return null;
    }

    /** RFC 3030 2: a refused BDAT's octets are still read, and the reply follows them. */
    private void discardChunk(long size, String refusal) {
        if (size == 0) {
            error(refusal);
            return;
        }
        discardUntilState = state;
        chunkError = refusal;
        state = State.CHUNKING;
        decoder.expectChunk(size);
    }

    /** While a refused chunk is read: the state to return to. */
    private State discardUntilState;

    /** Opens the queue file for DATA or the first BDAT; a refusal reply, or null. */
    private String beginContent() {
        if (state == State.CHUNKING) {
            return "503 5.5.1 Error: DATA after BDAT";
        }
        if (state != State.MAIL) {
            return state == State.START || state == State.READY ? "503 5.5.1 Error: need MAIL command"
                    : "503 5.5.1 Error: bad sequence of commands";
        }
        if (recipients.isEmpty()) {
            return sawRejectedRecipient ? "554 5.5.1 Error: no valid recipients" : "503 5.5.1 Error: need RCPT command";
        }
        Incoming incoming;
        try {
            incoming = sink.receive(envelope());
        } catch (IOException e) {
            LOG.warn("warning: cannot create a queue file: {}", e.getMessage());
            return "451 4.3.0 Error: queue file write error";
        }
        LOG.info("{}: client={}, helo={}{}{}", incoming.queueId(), client, Printable.forLog(helo),
                authUser.isEmpty() ? "" : ", sasl_username=" + authUser,
                mailParameters.parameters().containsKey("REQUIRETLS") ? ", requiretls=yes" : "");
        MessageFilter.Run run = filterTransaction == null ? null
                : filterTransaction.start(incoming.queueId(), envelope(), authUser);
        reception = new Reception(incoming, receivedHeader(incoming.queueId()), run, settings.limits(),
                settings.role() == ListenerRole.MX, client);
        return null;
    }

    private void content(ByteBuf bytes) {
        if (reception != null) { // null for a refused BDAT chunk, or a message already given up
            reception.accept(bytes);
        }
    }

    private void contentEnd() {
        if (state == State.CHUNKING && discardUntilState != null) {
            state = discardUntilState;
            discardUntilState = null;
            String refusal = chunkError;
            chunkError = null;
            error(refusal);
            return;
        }
        if (reception != null && reception.failure() != null) {
            chunkError = reception.failure();
            reception = null; // given up: the rest of the content is read and dropped
        }
        if (state == State.CHUNKING && !lastChunk) {
            respond(chunkError != null ? chunkError : "250 2.0.0 " + chunkSize + " octets received");
            return;
        }
        Reception ending = reception;
        String verb = state == State.DATA ? "DATA" : "BDAT";
        reception = null;
        if (ending == null) {
            String refusal = chunkError;
            resetTransaction();
            state = State.READY;
            metrics.received(settings.name(), "data", refusal);
            error(refusal);
            return;
        }
        // The reply waits for the checks and the disk; commands pipelined behind it wait too.
        state = State.WAITING;
        decoder.pause(ctx);
        ending.end(verb).whenComplete((reply, failure) -> ctx.executor().execute(() -> {
            resetTransaction();
            state = State.READY;
            String answer = failure == null ? reply : "451 4.3.0 Error: cannot check the message now; try again later";
            metrics.received(settings.name(), "data", answer);
            respond(answer);
            decoder.resume(ctx);
            ctx.flush();
        }));
    }

    private String rset(String argument) {
        if (!argument.isBlank()) {
            return "501 5.5.4 Syntax: RSET";
        }
        resetTransaction();
        if (state != State.START) {
            state = State.READY;
        }
        return "250 2.0.0 Ok";
    }

    private String quit() {
        ctx.writeAndFlush(reply("221 2.0.0 Bye")).addListener(ChannelFutureListener.CLOSE);
        decoder.pause(ctx);
        return null;
    }

    private String starttls(String argument) {
        if (settings.tls() == null) {
            return "502 5.5.1 Error: command not implemented";
        }
        if (tls != null) {
            return "503 5.5.1 Error: TLS already active";
        }
        if (!argument.isBlank()) {
            return "501 5.5.4 Syntax: STARTTLS";
        }
        // RFC 3207 4.2 and 6: nothing the client pipelined after STARTTLS may be acted on.
        decoder.discardBuffered();
        SslHandler ssl = new SslHandler(settings.tls().newEngine(ctx.alloc()), true);
        ctx.pipeline().addFirst("tls", ssl);
        ctx.writeAndFlush(reply("220 2.0.0 Ready to start TLS"));
        resetTransaction();
        state = State.WAITING;
        ssl.handshakeFuture().addListener(done -> {
            if (!done.isSuccess()) {
                LOG.info("TLS handshake failed with {}: {}", client, done.cause().getMessage());
                ctx.close();
                return;
            }
            tls = ssl.engine().getSession();
            group = TlsEngine.group(ssl.engine());
            // RFC 3207 4.2: the session starts over; the client must EHLO again.
            state = State.START;
            helo = "";
            esmtp = false;
            authUser = "";
            LOG.info("Anonymous TLS connection established from {}: {} with cipher {}{}", client, tls.getProtocol(),
                    tls.getCipherSuite(), group == null ? "" : " key-exchange " + group);
        });
        return null;
    }

    /** docs/xkeys.md: the signed key set, base64 in a multi-line reply, only inside TLS. */
    private String xkeys(String argument) {
        if (settings.xkeys() == null) {
            return "502 5.5.1 Error: command not implemented";
        }
        if (tls == null) {
            return "530 5.7.0 Must issue a STARTTLS command first";
        }
        if (!argument.isBlank()) {
            return "501 5.5.4 Syntax: XKEYS";
        }
        if (state != State.READY) {
            return state == State.START ? "503 5.5.1 Error: send EHLO first" : "503 5.5.1 Error: MAIL transaction in progress";
        }
        KeySet set = settings.xkeys().get();
        List<String> lines = XkeysWire.replyLines(set);
        LOG.info("xkeys: key set {} (serial {}) sent to {}", set.hash(), set.serial(), client);
        StringBuilder reply = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            reply.append(i == 0 ? "" : "\r\n").append(i == lines.size() - 1 ? "250 " : "250-").append(lines.get(i));
        }
        return reply.toString();
    }

    private String auth(String argument) {
        if (settings.authenticator() == null || settings.role() != ListenerRole.SUBMISSION) {
            return "503 5.5.1 Error: authentication not enabled";
        }
        if (tls == null) {
            return "538 5.7.11 Encryption required for requested authentication mechanism";
        }
        if (!authUser.isEmpty()) {
            return "503 5.5.1 Error: already authenticated";
        }
        if (state != State.READY) {
            return state == State.START ? "503 5.5.1 Error: send EHLO first" : "503 5.5.1 Error: MAIL transaction in progress";
        }
        String[] words = WHITESPACE.split(argument.trim());
        String mechanism = words[0].toUpperCase(Locale.ROOT);
        if (mechanism.equals("PLAIN")) {
            if (words.length > 1) {
                authPlainResponse(words[1]);
                return null;
            }
            state = State.AUTH_PLAIN;
            return "334 ";
        }
        if (mechanism.equals("LOGIN")) {
            if (words.length > 1) {
                state = State.AUTH_LOGIN_USER;
                authLoginResponse(words[1]);
                return null;
            }
            state = State.AUTH_LOGIN_USER;
            return "334 VXNlcm5hbWU6";
        }
        return "504 5.5.4 Error: unsupported authentication mechanism";
    }

    private void authPlainResponse(String line) {
        state = State.READY;
        String decoded = decode(line);
        if (decoded == null) {
            return;
        }
        // RFC 4616 2: authzid NUL authcid NUL passwd
        String[] parts = decoded.split("\0", -1);
        if (parts.length != 3) {
            error("501 5.5.2 Error: malformed PLAIN response");
            return;
        }
        // RFC 4616 2: the client may ask to act as another identity; no login here may act as anyone else.
        if (!parts[0].isEmpty() && !parts[0].equals(parts[1])) {
            LOG.info("warning: {}: SASL PLAIN authentication failed for {}: authorization identity {} differs from the login",
                    client, Printable.forLog(parts[1]), Printable.forLog(parts[0]));
            error("535 5.7.8 Error: authentication failed");
            return;
        }
        checkLogin(parts[1], parts[2]);
    }

    private void authLoginResponse(String line) {
        String decoded = decode(line);
        if (decoded == null) {
            state = State.READY;
            return;
        }
        if (state == State.AUTH_LOGIN_USER) {
            loginUser = decoded;
            state = State.AUTH_LOGIN_PASSWORD;
            ctx.write(reply("334 UGFzc3dvcmQ6"));
            return;
        }
        state = State.READY;
        checkLogin(loginUser, decoded);
    }

    /** The base64 response, or null after replying to a cancel or bad encoding. */
    private String decode(String line) {
        if (line.equals("*")) {
            error("501 5.7.0 Authentication cancelled");
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(line.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            error("501 5.5.2 Error: invalid base64");
            return null;
        }
    }

    private void checkLogin(String user, String password) {
        state = State.WAITING;
        decoder.pause(ctx);
        // Password hashing takes milliseconds: off the event loop.
        authExecutor.execute(() -> {
            boolean ok = settings.authenticator().authenticate(user, password);
            ctx.executor().execute(() -> {
                state = State.READY;
                if (ok) {
                    authUser = user;
                    ctx.write(reply("235 2.7.0 Authentication successful"));
                } else {
                    LOG.info("warning: {}: SASL authentication failed for {}", client, Printable.forLog(user));
                    error("535 5.7.8 Error: authentication failed");
                }
                decoder.resume(ctx);
                ctx.flush();
            });
        });
    }

    private boolean trusted() {
        return settings.trustedNetworks().stream().anyMatch(range -> range.contains(clientAddress));
    }

    private Envelope envelope() {
        Map<String, String> p = mailParameters.parameters();
        // RFC 3848: ESMTP, ESMTPS, ESMTPA, ESMTPSA
        String protocol = !esmtp ? "SMTP" : "ESMTP" + (tls != null ? "S" : "") + (authUser.isEmpty() ? "" : "A");
        String tlsText = tls == null ? "" : tls.getProtocol() + " " + tls.getCipherSuite();
        return new Envelope(sender, recipients, p.containsKey("BODY") ? BodyType.fromKeyword(p.get("BODY")) : BodyType.SEVEN_BIT,
                p.containsKey("SMTPUTF8"), p.getOrDefault("RET", "").toUpperCase(Locale.ROOT), p.getOrDefault("ENVID", ""),
                new Envelope.ClientInfo(clientAddress.getHostAddress(), helo, protocol, tlsText, authUser, settings.name(),
                        // Only an mx listener's client is named to the next hop (docs/postfix.md).
                        settings.role() == ListenerRole.MX ? clientPort : 0, verifiedName()),
                Instant.now(), p.containsKey("REQUIRETLS"));
    }

    /** The client's verified name when its lookup has ended by now (a slow DNS never holds up the mail), or "". */
    private String verifiedName() {
        return clientName == null ? "" : clientName.getNow("");
    }

    /** RFC 5321 4.4: the trace header this hop adds at the top. */
    private String receivedHeader(String queueId) {
        Envelope envelope = envelope();
        StringBuilder header = new StringBuilder("Received: from ").append(Printable.forTraceField(helo))
                .append(" (").append(envelope.client().name().startsWith("[") || envelope.client().name().isEmpty() ? ""
                        : envelope.client().name() + " ").append('[').append(clientAddress.getHostAddress()).append("])\r\n\tby ").append(settings.hostname())
                .append(" (Sealpost) with ").append(envelope.client().protocol()).append(" id ").append(queueId);
        if (tls != null) {
            header.append("\r\n\t(version=").append(tls.getProtocol()).append(" cipher=").append(tls.getCipherSuite())
                    .append(group == null ? "" : " group=" + group).append(")");
        }
        if (recipients.size() == 1) {
            header.append("\r\n\tfor <").append(recipients.get(0).address()).append(">");
        }
        header.append("; ").append(RECEIVED_DATE.format(ZonedDateTime.now())).append("\r\n");
        return header.toString();
    }

    private void resetTransaction() {
        abortTransaction();
        sender = null;
        mailParameters = null;
        recipients.clear();
        sawRejectedRecipient = false;
        overshoot = 0;
        filterTransaction = null;
        chunkError = null;
    }

    private void abortTransaction() {
        if (reception != null) {
            reception.abort();
            reception = null;
        }
    }

    private static ByteBuf reply(String text) {
        return Unpooled.copiedBuffer(text + "\r\n", StandardCharsets.UTF_8);
    }
}
