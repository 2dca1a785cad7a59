package org.sealpost.transport.smtp.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.sealpost.transport.tls.TlsEngine;

/**
 * One connection to a peer: commands out, replies matched to them in order (so pipelined commands
 * work), a timeout per reply, STARTTLS, and streaming of dot-stuffed content with backpressure.
 */
final class SmtpConnection extends SimpleChannelInboundHandler<SmtpReply> {

    /** Why a connection ended or a command failed, worded for the to= log line. */
    static final class ConnectionException extends IOException {
        private static final long serialVersionUID = 1L;

        ConnectionException(String message) {
            super(message);
        }

        /** With the failure underneath, whose type says what failed (a handshake's, for TLS-RPT). */
        ConnectionException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Pending(CompletableFuture<SmtpReply> reply, String command, Duration timeout) {
    }

    private final Channel channel;
    private final Target target;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private ScheduledFuture<?> timer;
    private String closedReason;
    private SmtpReply ehlo;
    private SSLSession tls;
    private int messages;
    private int replies;

    private final CompletableFuture<SmtpReply> greeting = new CompletableFuture<>();

    /** Made when the channel is set up, so that the greeting cannot arrive before it is awaited. */
    SmtpConnection(Channel channel, Target target, Duration greetingTimeout) {
        this.channel = channel;
        this.target = target;
        enqueue(new Pending(greeting, "greeting", greetingTimeout));
    }

    /** The 220 greeting (RFC 5321 4.3.1). */
    CompletableFuture<SmtpReply> greeting() {
        return greeting;
    }

    Target target() {
        return target;
    }

    /** The event loop of this connection, where its callbacks belong. */
    java.util.concurrent.Executor executor() {
        return channel.eventLoop();
    }

    /** Sends one command and returns its reply; {@code flush} false leaves it for a pipelined batch. */
    CompletableFuture<SmtpReply> send(String command, Duration timeout, boolean flush) {
        CompletableFuture<SmtpReply> reply = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            if (closedReason != null) {
                reply.completeExceptionally(new ConnectionException(closedReason));
                return;
            }
            enqueue(new Pending(reply, command.split(" ", 2)[0].toUpperCase() + (command.startsWith("MAIL")
                    ? " FROM" : command.startsWith("RCPT") ? " TO" : ""), timeout));
            ByteBuf line = Unpooled.copiedBuffer(command + "\r\n", StandardCharsets.UTF_8);
            if (flush) {
                channel.writeAndFlush(line);
            } else {
                channel.write(line);
            }
        });
        return reply;
    }

    void flush() {
        channel.flush();
    }

    private void enqueue(Pending next) {
        pending.add(next);
        if (pending.size() == 1) {
            arm();
        }
    }

    private void arm() {
        if (timer != null) {
            timer.cancel(false);
        }
        Pending head = pending.peek();
        if (head != null) {
            timer = channel.eventLoop().schedule(() -> fail("conversation with " + target.hostAddress() + " timed out while "
                    + (head.command.equals("greeting") ? "receiving the initial server greeting" : "sending " + head.command)),
                    head.timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SmtpReply reply) {
        replies++;
        Pending head = pending.poll();
        arm();
        if (head != null) {
            head.reply.complete(reply);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(lost());
    }

    /**
     * What the connection was doing when the peer went: the content (the writer waits for the socket, or the
     * close came inside its own flush), else the command whose reply was awaited.
     */
    private String lost() {
        String during = waitingWriter != null ? "sending message content"
                : pending.isEmpty() ? null : describe(pending.peek());
        return "lost connection with " + target.hostAddress() + (during == null ? "" : " while " + during);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            // A reset or a read error: the peer is gone, as when it closes (Postfix says the same).
            fail(lost());
        } else {
            fail("conversation with " + target.hostAddress() + " failed: " + shortReason(cause));
        }
    }

    /** The innermost message of a failure, without the exception class names Java puts in front. */
    static String shortReason(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return text.replaceAll("(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error): ", "");
    }

    private static String describe(Pending pending) {
        return pending.command.equals("greeting") ? "receiving the initial server greeting" : "sending " + pending.command;
    }

    private void fail(String reason) {
        if (closedReason == null) {
            closedReason = reason;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        Pending head;
        while ((head = pending.poll()) != null) {
            head.reply.completeExceptionally(new ConnectionException(closedReason));
        }
        channel.close();
    }

    /** STARTTLS accepted: puts TLS in front and completes when the handshake has. */
    CompletableFuture<SSLSession> startTls(SslContext context, String serverName, Duration timeout) {
        CompletableFuture<SSLSession> done = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            SslHandler ssl = serverName == null ? context.newHandler(channel.alloc())
                    : context.newHandler(channel.alloc(), serverName, target.port());
            ssl.setHandshakeTimeoutMillis(timeout.toMillis());
            channel.pipeline().addFirst("tls", ssl);
            ssl.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    tls = ssl.engine().getSession();
                    group = TlsEngine.group(ssl.engine());
                    done.complete(tls);
                } else {
                    String why = "TLS handshake with " + target + " failed: " + shortReason(f.cause());
                    done.completeExceptionally(new ConnectionException(why, f.cause()));
                    fail(why);
                }
            });
        });
        return done;
    }

    List<Certificate> peerChain() {
        try {
            return tls == null ? List.of() : List.of(tls.getPeerCertificates());
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    /**
     * Streams the content, dot-stuffed (RFC 5321 4.5.2), then CRLF.CRLF. The file is read on the
     * event loop in 64 KiB pieces: it is in the page cache, and writing waits while the socket's
     * buffer is full, so a large message never sits in memory. The timeout is per block, as RFC 5321
     * 4.5.3.2.5 asks: it starts again each time the peer has taken what was written, so a large
     * message on a slow link goes through, and a peer that stops reading is given up after it.
     */
    CompletableFuture<SmtpReply> sendContent(InputStream content, Duration timeout, Duration finalTimeout) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<SmtpReply> finalReply = new CompletableFuture<>();
        ContentWriter writer = new ContentWriter(content, done, finalReply, timeout, finalTimeout);
        done.whenComplete((ok, error) -> writer.disarm());
        channel.eventLoop().execute(writer);
        return done.thenCompose(ignored -> finalReply);
    }

    private final class ContentWriter implements Runnable {
        private final InputStream content;
        private final CompletableFuture<Void> done;
        private final CompletableFuture<SmtpReply> finalReply;
        private final Duration blockTimeout;
        private final Duration finalTimeout;
        private final byte[] chunk = new byte[16 * 1024]; // a TLS record's worth
        private boolean atLineStart = true;
        private boolean lastWasCr;
        private ScheduledFuture<?> deadline;

        ContentWriter(InputStream content, CompletableFuture<Void> done, CompletableFuture<SmtpReply> finalReply,
                Duration blockTimeout, Duration finalTimeout) {
            this.content = content;
            this.done = done;
            this.finalReply = finalReply;
            this.blockTimeout = blockTimeout;
            this.finalTimeout = finalTimeout;
        }

        /** Starts the block timer again: the peer took what was written before (or this is the start). */
        private void rearm() {
            disarm();
            deadline = channel.eventLoop().schedule(() -> {
                if (!done.isDone()) {
                    waitingWriter = null;
                    fail("conversation with " + target.hostAddress() + " timed out while sending message content");
                    done.completeExceptionally(new ConnectionException(closedReason));
                }
            }, blockTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        void disarm() {
            if (deadline != null) {
                deadline.cancel(false);
            }
        }

        @Override
        public void run() {
            if (done.isDone()) {
                return; // timed out or failed while it waited for the socket
            }
            rearm();
            try {
                while (true) {
                    while (channel.isWritable()) {
                        int n = content.read(chunk);
                        if (n < 0) {
                            writeEnd();
                            return;
                        }
                        channel.write(stuff(n));
                    }
                    // Registered before the flush: on plaintext the flush can drain the socket buffer and
                    // fire the writability change at once, and a writer registered after it waits forever.
                    waitingWriter = this;
                    channel.flush();
                    if (!channel.isActive()) {
                        waitingWriter = null;
                        done.completeExceptionally(new ConnectionException("lost connection with " + target.hostAddress()
                                + " while sending message content"));
                        return;
                    }
                    if (waitingWriter != this || !channel.isWritable()) {
                        return; // resumed by channelWritabilityChanged
                    }
                    waitingWriter = null;
                }
            } catch (IOException e) {
                waitingWriter = null;
                done.completeExceptionally(new ConnectionException("cannot read the queued message: " + e.getMessage()));
                fail("local error while sending message content");
            }
        }

        private void writeEnd() throws IOException {
            ByteBuf end = Unpooled.buffer(5);
            if (!atLineStart) {
                end.writeBytes(lastWasCr ? new byte[] {'\n'} : new byte[] {'\r', '\n'});
            }
            end.writeBytes(new byte[] {'.', '\r', '\n'});
            // Awaited before the dot leaves, so the reply cannot arrive unclaimed.
            enqueue(new Pending(finalReply, "end of DATA", finalTimeout));
            dotSent = true;
            channel.writeAndFlush(end).addListener(f -> {
                if (f.isSuccess()) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(new ConnectionException("lost connection with " + target.hostAddress()
                            + " while sending message content"));
                }
            });
            content.close();
        }

        /** The next n octets of the chunk with a dot doubled at every line start, copied in runs between them. */
        private ByteBuf stuff(int n) {
            ByteBuf out = channel.alloc().buffer(n + n / 64 + 8);
            int run = 0;
            for (int i = 0; i < n; i++) {
                byte b = chunk[i];
                if (atLineStart && b == '.') {
                    out.writeBytes(chunk, run, i - run);
                    out.writeByte('.');
                    run = i;
                }
                atLineStart = b == '\n';
            }
            out.writeBytes(chunk, run, n - run);
            if (n > 0) {
                lastWasCr = chunk[n - 1] == '\r';
            }
            return out;
        }
    }

    private ContentWriter waitingWriter;

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable() && waitingWriter != null) {
            ContentWriter writer = waitingWriter;
            waitingWriter = null;
            // Not run here: this event can fire inside the writer's own flush.
            channel.eventLoop().execute(writer);
        }
        ctx.fireChannelWritabilityChanged();
    }

    void ehlo(SmtpReply reply) {
        this.ehlo = reply;
    }

    SmtpReply ehloReply() {
        return ehlo;
    }

    SSLSession tls() {
        return tls;
    }

    private String group;

    /** The key exchange group of the session ("X25519MLKEM768"), or null: no TLS, or the engine cannot tell. */
    String tlsGroup() {
        return group;
    }

    private String verified = "none";

    void verified(String method) {
        verified = method;
    }

    /**
     * "TLSv1.3 TLS_AES_128_GCM_SHA256 X25519MLKEM768 (none)" with how the peer was verified, or "none";
     * without the group where the engine cannot tell it (the JDK's).
     */
    String tlsDescription() {
        return tlsDescription(verified);
    }

    /** The same with other words in the parentheses, e.g. "dane failed". */
    String tlsDescription(String verification) {
        return tls == null ? "none" : tls.getProtocol() + " " + tls.getCipherSuite() + (group == null ? "" : " " + group)
                + " (" + verification + ")";
    }

    int messages() {
        return messages;
    }

    void countMessage() {
        messages++;
        dotSent = false;
    }

    private volatile boolean dotSent;

    /** Whether the current transaction's final dot went out: the peer may have the message now. */
    boolean dotSent() {
        return dotSent;
    }

    boolean usable() {
        return channel.isActive() && closedReason == null && pending.isEmpty();
    }

    /** Replies received so far: a reused connection that dies before the next one was stale. */
    int replies() {
        return replies;
    }

    void quit() {
        if (usable()) {
            send("QUIT", Duration.ofSeconds(5), true).whenComplete((r, e) -> channel.close());
        } else {
            channel.close();
        }
    }

    InetSocketAddress remote() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    /** Our end of the connection (the sending-mta-ip of a TLS report), or null once closed. */
    InetSocketAddress local() {
        return channel.localAddress() instanceof InetSocketAddress address ? address : null;
    }
}
