package org.sealpost.transport.smtp.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.buffer.Unpooled;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Refuses a client address more simultaneous connections than the listener allows. */
@ChannelHandler.Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);
    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("sealpost.counted");

    private final int limit;
    private final String hostname;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();

    ConnectionLimit(int limit, String hostname) {
        this.limit = limit;
        this.hostname = hostname;
    }

    /** The connections open now, from every client address. */
    int open() {
        return open.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        int count = open.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        ctx.channel().attr(COUNTED).set(true);
        if (count > limit) {
            LOG.warn("warning: too many connections from {} ({} open, limit {})", address.getHostAddress(), count - 1, limit);
            ctx.writeAndFlush(Unpooled.copiedBuffer("421 4.7.0 " + hostname + " Error: too many connections from "
                    + address.getHostAddress() + "\r\n", StandardCharsets.US_ASCII)).addListener(ChannelFutureListener.CLOSE);
            return; // the session never starts
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (Boolean.TRUE.equals(ctx.channel().attr(COUNTED).get())) {
            InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
            open.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
        ctx.fireChannelInactive();
    }
}
