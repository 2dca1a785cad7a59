package org.sealpost.transport.cli;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.InProcessZone;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.config.NetworkRange;
import org.sealpost.transport.queue.Additions;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.queue.Incoming;
import org.sealpost.transport.queue.MessageSink;
import org.sealpost.transport.relay.Relay;
import org.sealpost.transport.smtp.server.ListenerRole;
import org.sealpost.transport.smtp.server.ListenerSettings;
import org.sealpost.transport.smtp.server.SessionLimits;
import org.sealpost.transport.smtp.server.SmtpServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The workload {@code sealpost jvm-cache} trains the JVM on (docs/operations.md, "JVM options and
 * the JVM cache"): both roles of the two-hop path in one process, on loopback, as a relay runs them.
 * <pre>
 *   clients -> relay A (submission: RSA-2048 DKIM signing, queue) -> STARTTLS
 *           -> relay B (mx: SPF, DKIM, DMARC, ARC, recipient probe, queue) -> sink
 * </pre>
 * The JVM that runs this writes the classes it loaded (and on JDK 25 the methods it profiled) to
 * the cache at exit; a relay started with that cache skips most of its start-up and warm-up work.
 */
@Command(name = "jvm-train", hidden = true, mixinStandardHelpOptions = true,
        description = "Relays messages through two relays on loopback (signing, STARTTLS, verification): the "
        + "workload that `sealpost jvm-cache` records. Writes nothing outside a temporary folder.")
final class JvmTraining implements Callable<Integer> {

    @Option(names = "--messages", defaultValue = "2000", description = "messages to relay (default: ${DEFAULT-VALUE})")
    int messages;

    @Option(names = "--sessions", defaultValue = "20", description = "client sessions at once (default: ${DEFAULT-VALUE})")
    int sessions;

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("sealpost-jvm-train");
        GeneratedKey dkim = DkimKeys.generate(KeyType.RSA, 2048);
        Files.writeString(work.resolve("dkim.pem"), dkim.privateKeyPem());
        // The sender's key, SPF and DMARC from a zone signed in memory, validated as real DNS is.
        InProcessZone zone = InProcessZone.signed("test", "@ IN SOA ns1 hostmaster 1 3600 900 1209600 300\n"
                + "@ IN NS ns1\nns1 IN A 127.0.0.1\n"
                + dkim.zoneFileLine("sel").replace("._domainkey IN", "._domainkey.src IN") + "\n"
                + "src IN TXT \"v=spf1 ip4:127.0.0.0/8 -all\"\n_dmarc.src IN TXT \"v=DMARC1; p=reject\"\n"
                + "dest IN MX 10 mx.dest\nmx.dest IN A 127.0.0.1\n");
        DnsResolver dns = zone.validatingResolver();
        SelfSignedCertificate certificate = new SelfSignedCertificate("mx.dest.test");
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        Counter sink = new Counter();
        SmtpServer sinkServer = new SmtpServer(new ListenerSettings("sink", ListenerRole.MX,
                new InetSocketAddress("127.0.0.1", 0), "sink.train.test", List.of(NetworkRange.parse("127.0.0.0/8")),
                Set.of("dest.test"), null, null, new SessionLimits(2048, 1000, 10 << 20, 100, Duration.ofMinutes(1),
                Duration.ofMinutes(5), 100), null), sink, group, NioServerSocketChannel.class);
        int sinkPort = sinkServer.start().getPort();
        Config b = config(work.resolve("b.conf"), List.of(
                "hostname = mx.dest.test",
                "queue_directory = " + work.resolve("b"),
                "listeners = mx",
                "listener.mx.role = mx",
                "listener.mx.address = 127.0.0.1:0",
                "tls_cert_file = " + certificate.certificate(),
                "tls_key_file = " + certificate.privateKey(),
                "local_domains = dest.test",
                "route.dest.test = [127.0.0.1]:" + sinkPort));
        try (Relay mx = Relay.start(b, dns)) {
            int mxPort = mx.boundAddresses().get("mx").getPort();
            Config a = config(work.resolve("a.conf"), List.of(
                    "hostname = relay.src.test",
                    "queue_directory = " + work.resolve("a"),
                    "listeners = submission",
                    "listener.submission.role = submission",
                    "listener.submission.address = 127.0.0.1:0",
                    "relayhost = [127.0.0.1]:" + mxPort,
                    "tls_default_level = encrypt",
                    "dkim_key.src.test = sel:" + work.resolve("dkim.pem")));
            try (Relay submission = Relay.start(a, dns)) {
                send(submission.boundAddresses().get("submission"));
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                while (sink.count.get() < messages && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            }
        } finally {
            sinkServer.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
            certificate.delete();
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
        if (sink.count.get() < messages) {
            System.err.println("sealpost jvm-train: " + sink.count.get() + " of " + messages
                    + " messages arrived within 5 minutes; the log above says why");
            return 1;
        }
        System.out.println("sealpost jvm-train: " + messages + " messages relayed (signed, over STARTTLS, verified)");
        return 0;
    }

    private static Config config(Path file, List<String> lines) throws Exception {
        Files.write(file, lines);
        return Config.load(file);
    }

    /** The messages over {@link #sessions} connections at once, several messages per connection. */
    private void send(InetSocketAddress address) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(sessions);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            running.add(clients.submit(() -> {
                while (next.get() < messages) {
                    session(address, next);
                }
                return null;
            }));
        }
        for (Future<?> session : running) {
            session.get(5, TimeUnit.MINUTES);
        }
        clients.shutdown();
    }

    /** One connection: up to 20 messages of about 4 KiB, as smtp-source sends them. */
    private void session(InetSocketAddress address, AtomicInteger next) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(60_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            expect(in, "220");
            command(out, in, "EHLO client.src.test", "250");
            for (int sent = 0; sent < 20; sent++) {
                int n = next.getAndIncrement();
                if (n >= messages) {
                    break;
                }
                command(out, in, "MAIL FROM:<sender@src.test>", "250");
                command(out, in, "RCPT TO:<user" + n % 50 + "@dest.test>", "250");
                command(out, in, "DATA", "354");
                out.write(message(n));
                out.flush();
                expect(in, "250");
            }
            command(out, in, "QUIT", "221");
        }
    }

    private static byte[] message(int n) {
        StringBuilder text = new StringBuilder("From: Sender <sender@src.test>\r\nTo: <user" + n % 50 + "@dest.test>\r\n"
                + "Subject: training message " + n + "\r\nDate: Thu, 01 Jan 2026 00:00:00 +0000\r\nMessage-ID: <train-" + n
                + "@src.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        while (text.length() < 4096) {
            text.append("Line ").append(text.length()).append(" of a message that trains the relay's JVM.\r\n");
        }
        return text.append(".\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void command(OutputStream out, BufferedReader in, String command, String expected) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(in, expected);
    }

    private static void expect(BufferedReader in, String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("the relay closed the connection; expected " + code);
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (!line.startsWith(code)) {
            throw new IOException("the relay answered " + line + "; expected " + code);
        }
    }

    /** The last hop: counts what arrives, keeps nothing. */
    private static final class Counter implements MessageSink {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Incoming receive(Envelope envelope) {
            return new Incoming() {
                @Override
                public String queueId() {
                    return "TRAIN";
                }

                @Override
                public void write(ByteBuffer bytes) {
                    bytes.position(bytes.limit());
                }

                @Override
                public CompletableFuture<String> commit(Additions additions) {
                    count.incrementAndGet();
                    return CompletableFuture.completedFuture("TRAIN");
                }

                @Override
                public void abort() {
                }
            };
        }
    }
}
