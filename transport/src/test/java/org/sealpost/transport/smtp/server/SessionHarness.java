package org.sealpost.transport.smtp.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.sealpost.transport.config.NetworkRange;

/** An SMTP session on an EmbeddedChannel, as if a client at 192.0.2.1 had connected. */
final class SessionHarness {

    static final SessionLimits LIMITS = new SessionLimits(512, 1000, 10_000, 3, Duration.ofMinutes(5),
            Duration.ofHours(1), 10);

    static ListenerSettings mx() {
        return new ListenerSettings("mx", ListenerRole.MX, new InetSocketAddress("127.0.0.1", 0), "mx.example.test",
                List.of(), Set.of("example.test"), null, null, LIMITS);
    }

    static ListenerSettings submission(String trusted, Authenticator authenticator) {
        return new ListenerSettings("submission", ListenerRole.SUBMISSION, new InetSocketAddress("127.0.0.1", 0),
                "relay.example.test", List.of(NetworkRange.parse(trusted)), Set.of(), null, authenticator, LIMITS);
    }

    /** An EmbeddedChannel whose peer has a real IP address. */
    private static final class ClientChannel extends EmbeddedChannel {
        ClientChannel(ChannelInitializer<Channel> initializer) {
            super(initializer);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return new InetSocketAddress("192.0.2.1", 40000);
        }
    }

    final RecordingSink sink = new RecordingSink();
    final EmbeddedChannel channel;
    /** How many times the session flushed: replies to a pipelined batch go out in one flush. */
    int flushes;

    SessionHarness(ListenerSettings settings) {
        SmtpServer server = new SmtpServer(settings, sink, null, null);
        channel = new ClientChannel(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new io.netty.channel.ChannelOutboundHandlerAdapter() {
                    @Override
                    public void flush(io.netty.channel.ChannelHandlerContext ctx) {
                        flushes++;
                        ctx.flush();
                    }
                });
                server.initialize(ch.pipeline());
            }
        });
    }

    /** Sends raw bytes and returns the reply lines written in response (the greeting on the first call). */
    List<String> send(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        channel.runPendingTasks();
        return replies();
    }

    /** Sends raw octets (not necessarily UTF-8) and returns the reply lines written in response. */
    List<String> sendBytes(byte[] octets) {
        channel.writeInbound(Unpooled.wrappedBuffer(octets));
        channel.runPendingTasks();
        return replies();
    }

    /** The reply lines written so far and not yet read. */
    List<String> replies() {
        StringBuilder out = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            out.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        List<String> lines = new ArrayList<>();
        for (String line : out.toString().split("\r\n")) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The last line of each reply (multi-line replies collapse to their final line). */
    List<String> finalLines(String text) {
        return send(text).stream().filter(l -> l.length() < 4 || l.charAt(3) != '-').toList();
    }

    /** EHLO, MAIL and RCPT for one local recipient, all accepted. */
    void openTransaction() {
        replies();
        finalLines("EHLO client.example\r\nMAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.test>\r\n");
    }
}
