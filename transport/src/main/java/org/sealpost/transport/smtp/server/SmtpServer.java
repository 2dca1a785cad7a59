package org.sealpost.transport.smtp.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.sealpost.transport.metrics.Metrics;
import org.sealpost.transport.queue.MessageSink;

/** One listener: accepts connections and runs an SMTP session on each. */
public final class SmtpServer {

    private final ListenerSettings settings;
    private final MessageSink sink;
    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> channelType;
    private final ConnectionLimit connectionLimit;
    private final ExecutorService authExecutor;
    private final Metrics metrics;
    private volatile Channel channel;

    public SmtpServer(ListenerSettings settings, MessageSink sink, EventLoopGroup group,
            Class<? extends ServerChannel> channelType) {
        this(settings, sink, group, channelType, Metrics.none());
    }

    /** @param metrics where the listener's answers to messages are counted */
    public SmtpServer(ListenerSettings settings, MessageSink sink, EventLoopGroup group,
            Class<? extends ServerChannel> channelType, Metrics metrics) {
        this.metrics = metrics;
        this.settings = settings;
        this.sink = sink;
        this.group = group;
        this.channelType = channelType;
        this.connectionLimit = new ConnectionLimit(settings.limits().connectionsPerClient(), settings.hostname());
        this.authExecutor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "sasl-" + settings.name());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Binds the listener; returns the address it is bound to (a port of 0 picks a free one). */
    public InetSocketAddress start() throws InterruptedException {
        channel = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        initialize(ch.pipeline());
                    }
                })
                .bind(settings.address()).sync().channel();
        return (InetSocketAddress) channel.localAddress();
    }

    /** The pipeline in wire order; STARTTLS puts the TLS handler in front of it. */
    void initialize(ChannelPipeline pipeline) {
        SmtpDecoder decoder = new SmtpDecoder(settings.limits().commandLineLimit());
        pipeline.addLast("limit", connectionLimit);
        pipeline.addLast("idle", new IdleStateHandler(settings.limits().idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        pipeline.addLast("decoder", decoder);
        pipeline.addLast("session", new SmtpSession(settings, sink, decoder, authExecutor, metrics));
    }

    /** The address the listener is bound to, or null when it is not (not started, closed, or its socket gone). */
    public InetSocketAddress boundAddress() {
        Channel current = channel;
        return current != null && current.isActive() ? (InetSocketAddress) current.localAddress() : null;
    }

    /** The client connections open now. */
    public int openConnections() {
        return connectionLimit.open();
    }

    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        authExecutor.shutdown();
    }
}
