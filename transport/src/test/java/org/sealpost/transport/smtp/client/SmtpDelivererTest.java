package org.sealpost.transport.smtp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sealpost.keyexchange.policy.DefaultLevel;
import org.sealpost.keyexchange.policy.Policies;
import org.sealpost.keyexchange.policy.TlsLevel;
import org.sealpost.transport.cli.DemoMailbox;
import org.sealpost.transport.queue.BodyType;
import org.sealpost.transport.queue.DeliveryStatus;
import org.sealpost.transport.queue.RecipientResult;
import org.sealpost.transport.smtp.server.ListenerRole;
import org.sealpost.transport.smtp.server.ListenerSettings;
import org.sealpost.transport.smtp.server.SessionLimits;
import org.sealpost.transport.smtp.server.SmtpServer;

class SmtpDelivererTest {

    private final NioEventLoopGroup group = new NioEventLoopGroup(2);
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private ScriptedServer peer() throws Exception {
        ScriptedServer server = new ScriptedServer();
        open.add(server);
        return server;
    }

    private SmtpDeliverer deliverer(int port, TlsLevel level, int concurrency, Duration timeout) {
        ClientSettings settings = new ClientSettings("relay.example.test", Map.of("*", Route.parse("[127.0.0.1]:" + port)),
                Duration.ofSeconds(5), timeout, timeout, timeout, timeout, concurrency, 100, Duration.ofSeconds(5));
        SmtpDeliverer deliverer = new SmtpDeliverer(settings, new FakeDns(), new Policies(List.of(new DefaultLevel(level))), group,
                NioSocketChannel.class);
        open.add(0, deliverer::close);
        return deliverer;
    }

    private SmtpDeliverer deliverer(int port) {
        return deliverer(port, TlsLevel.MAY, 20, Duration.ofSeconds(10));
    }

    private static List<RecipientResult> deliver(SmtpDeliverer deliverer, TestMessage message) {
        return deliverer.deliver(message, "dest.example", message.envelope().recipients()).join();
    }

    @Test
    void delayInTheLog_hasTwoDecimalsAndADot() {
        assertEquals("0.00", SmtpDeliverer.seconds(0));
        assertEquals("0.01", SmtpDeliverer.seconds(5)); // rounded half up, as %.2f did
        assertEquals("0.00", SmtpDeliverer.seconds(4));
        assertEquals("1.25", SmtpDeliverer.seconds(1249));
        assertEquals("12.30", SmtpDeliverer.seconds(12_300));
        assertEquals("86400.00", SmtpDeliverer.seconds(86_400_000));
        assertEquals("0.00", SmtpDeliverer.seconds(-3)); // a clock set back is no negative delay
    }

    @Test
    void content_isDotStuffedOnTheWire_andDelivered() throws Exception {
        ScriptedServer peer = peer();
        List<RecipientResult> results = deliver(deliverer(peer.port()),
                TestMessage.of("Subject: dots\r\n\r\n.hidden\r\n..two\r\nend", BodyType.SEVEN_BIT, false, "bob@dest.example"));
        assertEquals(DeliveryStatus.DELIVERED, results.get(0).status());
        assertEquals("250 2.0.0 Ok: queued as SCRIPTED", results.get(0).diagnostic());
        Thread.sleep(200);
        assertTrue(peer.allReceived().contains("\r\n\r\n..hidden\r\n...two\r\nend\r\n.\r\n"), peer.allReceived());
    }

    @Test
    void dotsAtTheEdgesOfTheReadBlocks_areStuffed() throws Exception {
        // The content is read in 16 KiB blocks: lines that start with a dot exactly at a block's
        // first octet, and a CR LF split across two blocks, must come out as on any other line.
        StringBuilder body = new StringBuilder("Subject: edges\r\n\r\n");
        for (int block = 1; block <= 3; block++) {
            int start = block * 16 * 1024 - (block == 2 ? 1 : 0); // block 2: the CR ends block 1, LF begins 2
            while (body.length() < start - 2) {
                body.append('x');
                if (body.length() % 70 == 0 && body.length() < start - 4) {
                    body.append("\r\n");
                }
            }
            body.append("\r\n.dot").append(block).append("\r\n");
        }
        body.append("end");
        ScriptedServer peer = peer();
        List<RecipientResult> results = deliver(deliverer(peer.port()),
                TestMessage.of(body.toString(), BodyType.SEVEN_BIT, false, "bob@dest.example"));
        assertEquals(DeliveryStatus.DELIVERED, results.get(0).status());
        Thread.sleep(200);
        String received = peer.allReceived();
        for (int block = 1; block <= 3; block++) {
            assertTrue(received.contains("\r\n..dot" + block + "\r\n"), "dot line " + block + " not stuffed");
        }
        assertTrue(received.contains("end\r\n.\r\n"), "the end of the data");
        assertEquals(body.toString().replace("\r\n.", "\r\n.."),
                received.substring(received.indexOf("Subject: edges"), received.indexOf("end\r\n.\r\n") + 3));
    }

    @Test
    void messagesOver64KiB_onPlaintext_areSentWhole() throws Exception {
        // The writer once waited for a writability change that had already happened during its own flush.
        ScriptedServer peer = peer();
        SmtpDeliverer deliverer = deliverer(peer.port());
        for (int size : new int[] {70_000, 200_000, 900_000}) {
            StringBuilder body = new StringBuilder("Subject: big\r\n\r\n");
            while (body.length() < size) {
                body.append("line ").append(body.length()).append(" of a message over 64 KiB\r\n");
            }
            List<RecipientResult> results = deliver(deliverer,
                    TestMessage.of(body.toString(), BodyType.SEVEN_BIT, false, "bob@dest.example"));
            assertEquals(DeliveryStatus.DELIVERED, results.get(0).status(), size + ": " + results.get(0).diagnostic());
            assertTrue(peer.allReceived().contains(body + ".\r\n"), "content of " + size + " octets arrived whole");
        }
    }

    @Test
    void slowReader_getsAMessageThatTakesLongerThanTheTimeout_becauseTheTimeoutIsPerBlock() throws Exception {
        // RFC 5321 4.5.3.2.5: the data timeout applies to each block, not to the whole content.
        Duration timeout = Duration.ofSeconds(1);
        try (java.net.ServerSocket server = new java.net.ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            CompletableFuture<Duration> reading = CompletableFuture.supplyAsync(() -> slowPeer(server));
            StringBuilder body = new StringBuilder("Subject: slow\r\n\r\n");
            while (body.length() < 16 * 1024 * 1024) {
                body.append("a line of a large message read slowly by its peer, ").append(body.length()).append("\r\n");
            }
            List<RecipientResult> results = deliver(deliverer(server.getLocalPort(), TlsLevel.MAY, 20, timeout),
                    TestMessage.of(body.toString(), BodyType.SEVEN_BIT, false, "bob@dest.example"));
            assertEquals(DeliveryStatus.DELIVERED, results.get(0).status(), results.get(0).diagnostic());
            Duration took = reading.get(60, TimeUnit.SECONDS);
            assertTrue(took.compareTo(timeout) > 0, "the peer read for " + took + ", longer than the timeout");
        }
    }

    /** An SMTP peer that reads the content 64 KiB at a time with pauses; returns how long the content took. */
    private static Duration slowPeer(java.net.ServerSocket server) {
        try (java.net.Socket socket = server.accept();
                java.io.InputStream in = socket.getInputStream();
                java.io.OutputStream out = socket.getOutputStream()) {
            out.write("220 slow.example.test ESMTP\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                line.append((char) b);
                if (b != '\n') {
                    continue;
                }
                String command = line.toString().toUpperCase(java.util.Locale.ROOT);
                line.setLength(0);
                String reply = command.startsWith("EHLO") ? "250-slow.example.test\r\n250 8BITMIME"
                        : command.startsWith("DATA") ? "354 go ahead" : command.startsWith("QUIT") ? "221 bye" : "250 ok";
                out.write((reply + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                if (command.startsWith("DATA")) {
                    long start = System.nanoTime();
                    byte[] block = new byte[64 * 1024];
                    byte[] tail = new byte[5];
                    int n;
                    while ((n = in.read(block)) >= 0) {
                        for (int i = 0; i < n; i++) {
                            System.arraycopy(tail, 1, tail, 0, 4);
                            tail[4] = block[i];
                        }
                        if (new String(tail, java.nio.charset.StandardCharsets.US_ASCII).equals("\r\n.\r\n")) {
                            break;
                        }
                        Thread.sleep(10);
                    }
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    out.write("250 2.0.0 ok\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    return took;
                }
            }
            throw new AssertionError("the client never sent DATA");
        } catch (IOException | InterruptedException e) {
            throw new java.io.UncheckedIOException(new IOException(e));
        }
    }

    @Test
    void pipelining_sendsMailRcptAndDataTogether() throws Exception {
        ScriptedServer peer = peer();
        peer.requirePipelining = true;
        List<RecipientResult> results = deliver(deliverer(peer.port(), TlsLevel.MAY, 20, Duration.ofSeconds(3)),
                TestMessage.of("x", BodyType.SEVEN_BIT, false, "a@dest.example", "b@dest.example"));
        assertEquals(List.of(DeliveryStatus.DELIVERED, DeliveryStatus.DELIVERED),
                results.stream().map(RecipientResult::status).toList());
    }

    @Test
    void eachRecipient_getsTheResultOfItsOwnReply() throws Exception {
        ScriptedServer peer = peer();
        peer.replies.put("RCPT TO:<FULL@", "452 4.2.2 Mailbox full");
        peer.replies.put("RCPT TO:<GONE@", "550 5.1.1 No such user");
        List<RecipientResult> results = deliver(deliverer(peer.port()),
                TestMessage.of("x", BodyType.SEVEN_BIT, false, "ok@dest.example", "full@dest.example", "gone@dest.example"));
        assertEquals(List.of(DeliveryStatus.DELIVERED, DeliveryStatus.DEFERRED, DeliveryStatus.BOUNCED),
                results.stream().map(RecipientResult::status).toList());
        assertEquals("4.2.2", results.get(1).enhancedCode());
        assertEquals("550 5.1.1 No such user", results.get(2).diagnostic());
        assertTrue(results.get(2).remoteReply());
    }

    @Test
    void eightBitMessage_toPeerWithout8bitmime_bouncesUnsent() throws Exception {
        ScriptedServer peer = peer();
        peer.keywords = List.of("PIPELINING");
        RecipientResult result = deliver(deliverer(peer.port()),
                TestMessage.of("caf\u00e9", BodyType.EIGHT_BIT_MIME, false, "bob@dest.example")).get(0);
        assertEquals(DeliveryStatus.BOUNCED, result.status());
        assertEquals("5.6.3", result.enhancedCode());
        Thread.sleep(200);
        assertFalse(peer.allReceived().contains("MAIL FROM"), peer.allReceived());
    }

    @Test
    void smtputf8Message_toPeerWithoutSmtputf8_bounces() throws Exception {
        ScriptedServer peer = peer();
        RecipientResult result = deliver(deliverer(peer.port()),
                TestMessage.of("x", BodyType.SEVEN_BIT, true, "j\u00f6rg@dest.example")).get(0);
        assertEquals(DeliveryStatus.BOUNCED, result.status());
        assertEquals("5.6.7", result.enhancedCode());
    }

    @Test
    void messageOverThePeersSize_bounces() throws Exception {
        ScriptedServer peer = peer();
        peer.keywords = List.of("SIZE 10");
        RecipientResult result = deliver(deliverer(peer.port()),
                TestMessage.of("far more than ten octets", BodyType.SEVEN_BIT, false, "bob@dest.example")).get(0);
        assertEquals(DeliveryStatus.BOUNCED, result.status());
        assertEquals("5.3.4", result.enhancedCode());
    }

    @Test
    void encrypt_withoutStarttls_defers_andSendsNothingInPlaintext() throws Exception {
        ScriptedServer peer = peer();
        RecipientResult result = deliver(deliverer(peer.port(), TlsLevel.ENCRYPT, 20, Duration.ofSeconds(5)),
                TestMessage.of("secret", BodyType.SEVEN_BIT, false, "bob@dest.example")).get(0);
        assertEquals(DeliveryStatus.DEFERRED, result.status());
        assertEquals("4.7.4", result.enhancedCode());
        Thread.sleep(200);
        assertFalse(peer.allReceived().contains("MAIL FROM"), peer.allReceived());
    }

    @Test
    void may_usesStarttlsWhenOffered() throws Exception {
        SelfSignedCertificate certificate = new SelfSignedCertificate("mx.dest.example");
        DemoMailbox mailbox = new DemoMailbox();
        SmtpServer server = new SmtpServer(new ListenerSettings("dest", ListenerRole.MX,
                new InetSocketAddress("127.0.0.1", 0), "mx.dest.example", List.of(), Set.of("dest.example"),
                SslContextBuilder.forServer(certificate.certificate(), certificate.privateKey()).build(), null,
                new SessionLimits(2048, 1000, 1 << 20, 100, Duration.ofMinutes(1), Duration.ofMinutes(5), 10)),
                mailbox, group, NioServerSocketChannel.class);
        int port = server.start().getPort();
        open.add(server::close);
        RecipientResult result = deliver(deliverer(port),
                TestMessage.of("Subject: t\r\n\r\nx", BodyType.SEVEN_BIT, false, "bob@dest.example")).get(0);
        assertEquals(DeliveryStatus.DELIVERED, result.status(), result.diagnostic());
        assertTrue(mailbox.delivered().poll(5, TimeUnit.SECONDS).envelope().client().tls().startsWith("TLSv1."));
    }

    @Test
    void severalMessages_shareOneConnection() throws Exception {
        ScriptedServer peer = peer();
        SmtpDeliverer deliverer = deliverer(peer.port());
        for (int i = 0; i < 5; i++) {
            assertEquals(DeliveryStatus.DELIVERED, deliver(deliverer,
                    TestMessage.of("m" + i, BodyType.SEVEN_BIT, false, "bob@dest.example")).get(0).status());
        }
        assertEquals(1, peer.connections.get());
    }

    @Test
    void destinationConcurrency_capsSimultaneousConnections() throws Exception {
        ScriptedServer peer = peer();
        SmtpDeliverer deliverer = deliverer(peer.port(), TlsLevel.MAY, 2, Duration.ofSeconds(10));
        List<CompletableFuture<List<RecipientResult>>> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            TestMessage message = TestMessage.of("m" + i, BodyType.SEVEN_BIT, false, "bob@dest.example");
            all.add(deliverer.deliver(message, "dest.example", message.envelope().recipients()));
        }
        for (CompletableFuture<List<RecipientResult>> one : all) {
            assertEquals(DeliveryStatus.DELIVERED, one.join().get(0).status());
        }
        assertTrue(peer.maxOpen.get() <= 2, "connections at once: " + peer.maxOpen.get());
    }

    @Test
    void silentPeer_afterTheDot_isADeferral() throws Exception {
        ScriptedServer peer = peer();
        peer.replies.put("DATA-END", "");
        RecipientResult result = deliver(deliverer(peer.port(), TlsLevel.MAY, 20, Duration.ofMillis(800)),
                TestMessage.of("x", BodyType.SEVEN_BIT, false, "bob@dest.example")).get(0);
        assertEquals(DeliveryStatus.DEFERRED, result.status());
        assertTrue(result.diagnostic().contains("timed out"), result.diagnostic());
    }

    @Test
    void lostReplyAfterTheDot_defers_withoutOfferingTheMessageToTheNextHost() throws Exception {
        ScriptedServer peer = peer();
        peer.replies.put("DATA-END", "");
        FakeDns dns = new FakeDns().mx("dest.example", new org.sealpost.dnssec.MxRecord(10, "mx1.dest.example"),
                new org.sealpost.dnssec.MxRecord(20, "mx2.dest.example"));
        dns.host("mx1.dest.example", "127.0.0.1").host("mx2.dest.example", "127.0.0.1");
        Duration timeout = Duration.ofMillis(800);
        ClientSettings settings = new ClientSettings("relay.example.test",
                Map.of("*", Route.parse("dest.example:" + peer.port())), Duration.ofSeconds(5), timeout, timeout, timeout,
                timeout, 20, 100, Duration.ofSeconds(5));
        SmtpDeliverer deliverer = new SmtpDeliverer(settings, dns, new Policies(List.of(new DefaultLevel(TlsLevel.MAY))), group, NioSocketChannel.class);
        open.add(0, deliverer::close);
        RecipientResult result = deliver(deliverer, TestMessage.of("x", BodyType.SEVEN_BIT, false, "bob@dest.example")).get(0);
        assertEquals(DeliveryStatus.DEFERRED, result.status());
        Thread.sleep(200);
        assertEquals(1, peer.allReceived().split("MAIL FROM", -1).length - 1, peer.allReceived());
    }

    @Test
    void peerGreetingAsOurselves_isALoop_andNothingIsSent() throws Exception {
        ScriptedServer peer = peer();
        peer.replies.put("EHLO", "250 relay.example.test");
        RecipientResult result = deliver(deliverer(peer.port()),
                TestMessage.of("x", BodyType.SEVEN_BIT, false, "bob@dest.example")).get(0);
        assertEquals(DeliveryStatus.DEFERRED, result.status());
        assertTrue(result.diagnostic().contains("loops back to myself"), result.diagnostic());
    }

    @Test
    void refusedConnection_defersWith441() throws Exception {
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        RecipientResult result = deliver(deliverer(closedPort),
                TestMessage.of("x", BodyType.SEVEN_BIT, false, "bob@dest.example")).get(0);
        assertEquals(DeliveryStatus.DEFERRED, result.status());
        assertEquals("4.4.1", result.enhancedCode());
    }

    private static int closedPort() throws Exception {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return probe.getLocalPort();
        }
    }

    private SmtpDeliverer deliverer(int port, Class<? extends io.netty.channel.Channel> channelType,
            io.netty.channel.EventLoopGroup loops, Clock clock, int concurrency) {
        Duration timeout = Duration.ofSeconds(10);
        ClientSettings settings = new ClientSettings("relay.example.test", Map.of("*", Route.parse("[127.0.0.1]:" + port)),
                Duration.ofSeconds(5), timeout, timeout, timeout, timeout, concurrency, 100, Duration.ofSeconds(5),
                Duration.ofSeconds(60));
        SmtpDeliverer deliverer = new SmtpDeliverer(settings, new FakeDns(), new Policies(List.of(new DefaultLevel(TlsLevel.MAY))), loops, channelType, clock);
        open.add(0, deliverer::close);
        return deliverer;
    }

    @Test
    void refusedConnection_isWordedLikePostfix() throws Exception {
        int port = closedPort();
        RecipientResult result = deliver(deliverer(port),
                TestMessage.of("x", BodyType.SEVEN_BIT, false, "bob@dest.example")).get(0);
        assertEquals("connect to 127.0.0.1[127.0.0.1]:" + port + ": Connection refused", result.diagnostic());
    }

    @Test
    void refusedConnection_overNativeEpoll_isWordedLikePostfix() throws Exception {
        // The relay uses epoll where it can, and its errors read "finishConnect(..) failed with error(-111)".
        org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.channel.epoll.Epoll.isAvailable(), "native epoll unavailable");
        io.netty.channel.epoll.EpollEventLoopGroup epoll = new io.netty.channel.epoll.EpollEventLoopGroup(1);
        try {
            int port = closedPort();
            SmtpDeliverer deliverer = deliverer(port, io.netty.channel.epoll.EpollSocketChannel.class, epoll,
                    Clock.systemUTC(), 20);
            RecipientResult result = deliver(deliverer, TestMessage.of("x", BodyType.SEVEN_BIT, false, "bob@dest.example")).get(0);
            assertEquals("connect to 127.0.0.1[127.0.0.1]:" + port + ": Connection refused", result.diagnostic());
        } finally {
            epoll.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void peerClosingMidDialog_isALostConnection_namingTheCommand() throws Exception {
        ScriptedServer peer = peer();
        peer.replies.put("RCPT", ScriptedServer.CLOSE);
        RecipientResult result = deliver(deliverer(peer.port()),
                TestMessage.of("x", BodyType.SEVEN_BIT, false, "bob@dest.example")).get(0);
        assertEquals(DeliveryStatus.DEFERRED, result.status());
        assertEquals("lost connection with 127.0.0.1[127.0.0.1] while sending RCPT TO", result.diagnostic());
    }

    @Test
    void peerClosingDuringALargeContent_isALostConnection_whileSendingTheContent() throws Exception {
        ScriptedServer peer = peer();
        peer.replies.put("DATA-CONTENT", ScriptedServer.CLOSE);
        peer.keywords = List.of("PIPELINING", "8BITMIME");
        StringBuilder body = new StringBuilder("Subject: big\r\n\r\n");
        while (body.length() < 4_000_000) {
            body.append("line ").append(body.length()).append(" of a message the peer will not take\r\n");
        }
        RecipientResult result = deliver(deliverer(peer.port(), TlsLevel.MAY, 20, Duration.ofSeconds(30)),
                TestMessage.of(body.toString(), BodyType.SEVEN_BIT, false, "bob@dest.example")).get(0);
        assertEquals(DeliveryStatus.DEFERRED, result.status());
        assertEquals("lost connection with 127.0.0.1[127.0.0.1] while sending message content", result.diagnostic());
    }

    /** Counts the connections the client opens, refused ones included. */
    public static final class CountingChannel extends NioSocketChannel {
        static final java.util.concurrent.atomic.AtomicInteger OPENED = new java.util.concurrent.atomic.AtomicInteger();

        public CountingChannel() {
            OPENED.incrementAndGet();
        }
    }

    private static final class MovingClock extends Clock {
        volatile java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** N messages at once to the deliverer, as the queue hands them over; their results. */
    private static List<RecipientResult> round(SmtpDeliverer deliverer, int messages) {
        List<CompletableFuture<List<RecipientResult>>> all = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            TestMessage message = TestMessage.of("m" + i, BodyType.SEVEN_BIT, false, "bob@dest.example");
            all.add(deliverer.deliver(message, "dest.example", message.envelope().recipients()));
        }
        return all.stream().map(one -> one.join().get(0)).toList();
    }

    @Test
    void refusingDestination_isSuspended_andProbedOnceAfterThePeriod_thenEverythingGoes() throws Exception {
        int port = closedPort();
        int messages = 50;
        MovingClock clock = new MovingClock();
        CountingChannel.OPENED.set(0);
        SmtpDeliverer deliverer = deliverer(port, CountingChannel.class, group, clock, 2);
        String refused = "connect to 127.0.0.1[127.0.0.1]:" + port + ": Connection refused";
        String suspended = "delivery temporarily suspended: " + refused;
        try (CapturedLog log = new CapturedLog(SmtpDeliverer.class)) {
            List<RecipientResult> first = round(deliverer, messages);
            assertTrue(first.stream().allMatch(r -> r.status() == DeliveryStatus.DEFERRED && r.enhancedCode().equals("4.4.1")));
            assertTrue(first.stream().filter(r -> r.diagnostic().equals(suspended)).count() >= messages - 3,
                    "most messages are deferred together: " + first.stream().map(RecipientResult::diagnostic).distinct().toList());
            // The first attempts start before any of them failed: at most the destination's concurrency.
            assertTrue(CountingChannel.OPENED.get() <= 3, "connections in the first round: " + CountingChannel.OPENED.get());
            assertTrue(log.lineWith("destination [127.0.0.1]:" + port + " is unavailable for 60s: " + refused) != null,
                    String.valueOf(log.lines()));

            int before = CountingChannel.OPENED.get();
            assertTrue(round(deliverer, messages).stream().allMatch(r -> r.diagnostic().equals(suspended)));
            assertEquals(before, CountingChannel.OPENED.get(), "no connection while the destination is marked");

            clock.now = clock.now.plusSeconds(61);
            assertTrue(round(deliverer, messages).stream().allMatch(r -> r.status() == DeliveryStatus.DEFERRED));
            assertEquals(before + 1, CountingChannel.OPENED.get(), "one probe after the period");

            try (ScriptedServer peer = new ScriptedServer(port)) {
                assertTrue(round(deliverer, messages).stream().allMatch(r -> r.diagnostic().equals(suspended)),
                        "the failed probe marked the destination again");
                assertEquals(0, peer.connections.get());
                clock.now = clock.now.plusSeconds(61);
                round(deliverer, messages);
                List<RecipientResult> last = round(deliverer, messages);
                assertEquals(List.of(DeliveryStatus.DELIVERED), last.stream().map(RecipientResult::status).distinct().toList(),
                        last.stream().map(RecipientResult::diagnostic).distinct().toList().toString());
                assertTrue(log.lineWith("destination [127.0.0.1]:" + port + " is available again") != null,
                        String.valueOf(log.lines()));
            }
        }
    }
}
