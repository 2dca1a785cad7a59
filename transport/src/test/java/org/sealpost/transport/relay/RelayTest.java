package org.sealpost.transport.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.signing.crypto.CryptoProviders;
import org.sealpost.signing.crypto.ProviderChoice;
import org.sealpost.transport.cli.DemoMailbox;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.config.NetworkRange;
import org.sealpost.transport.smtp.server.ListenerRole;
import org.sealpost.transport.smtp.server.ListenerSettings;
import org.sealpost.transport.smtp.server.SessionLimits;
import org.sealpost.transport.smtp.server.SmtpServer;
import org.sealpost.transport.smtp.client.SmtpDeliverer;
import org.sealpost.transport.tls.TlsEngineChoice;
import org.sealpost.transport.tls.TlsEngines;
import org.slf4j.LoggerFactory;

/** submission client -> Relay (queue, client) -> destination SmtpServer, all in this JVM. */
class RelayTest {

    @TempDir
    Path dir;

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final DemoMailbox sink = new DemoMailbox();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private InetSocketAddress destination(boolean starttls) throws Exception {
        SslContext tls = null;
        if (starttls) {
            SelfSignedCertificate certificate = new SelfSignedCertificate("mx.dest.test");
            // as another Sealpost's listener: the run's engine, with its groups
            tls = TlsEngines.current().configure(SslContextBuilder.forServer(certificate.certificate(),
                    certificate.privateKey())).build();
        }
        SessionLimits limits = new SessionLimits(2048, 1000, 1 << 20, 100, Duration.ofMinutes(1), Duration.ofMinutes(5), 10);
        SmtpServer server = new SmtpServer(new ListenerSettings("dest", ListenerRole.MX, new InetSocketAddress("127.0.0.1", 0),
                "mx.dest.test", List.of(), Set.of("dest.test"), tls, null, limits), sink, group, NioServerSocketChannel.class);
        open.add(server::close);
        return server.start();
    }

    private Relay relay(InetSocketAddress destination, String... extra) throws Exception {
        List<String> lines = new ArrayList<>(List.of(
                "hostname = relay.test",
                "queue_directory = " + dir.resolve("queue"),
                "listeners = submission",
                "listener.submission.role = submission",
                "listener.submission.address = 127.0.0.1:0",
                "queue_min_backoff = 60s",
                "route.dest.test = [127.0.0.1]:" + destination.getPort()));
        lines.addAll(List.of(extra));
        Relay relay = Relay.start(Config.parse(dir.resolve("sealpost.conf"), lines));
        open.add(0, relay);
        return relay;
    }

    private static String submit(InetSocketAddress to, String body) throws Exception {
        try (Socket socket = new Socket(to.getAddress(), to.getPort())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            String last = reply(in);
            for (String command : List.of("EHLO client.test", "MAIL FROM:<alice@src.test>", "RCPT TO:<bob@dest.test>", "DATA")) {
                out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                last = reply(in);
            }
            out.write((body + "\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
            last = reply(in);
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            return last;
        }
    }

    private static String reply(BufferedReader in) throws Exception {
        String line;
        do {
            line = in.readLine();
        } while (line != null && line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    @Test
    void submittedMessage_isQueuedAndDeliveredOverStarttls() throws Exception {
        Relay relay = relay(destination(true), "tls_policy.dest.test = encrypt");
        String reply = submit(relay.boundAddresses().get("submission"), "Subject: relay test\r\n\r\nHello, relay.");
        assertTrue(reply.startsWith("250 2.0.0"), reply);

        DemoMailbox.Delivered received = sink.delivered().poll(20, TimeUnit.SECONDS);
        assertNotNull(received, "the destination did not receive the message");
        assertEquals("alice@src.test", received.envelope().sender());
        assertEquals("bob@dest.test", received.envelope().recipients().get(0).address());
        assertTrue(received.envelope().client().tls().startsWith("TLSv1."), received.envelope().client().tls());
        assertTrue(received.content().contains("by relay.test (Sealpost)"), received.content());
        assertTrue(received.content().endsWith("Hello, relay.\r\n"), received.content());
    }

    @Test
    void encryptPolicy_withoutStarttlsAtDestination_keepsTheMessageQueued() throws Exception {
        Relay relay = relay(destination(false), "tls_policy.dest.test = encrypt");
        String reply = submit(relay.boundAddresses().get("submission"), "Subject: must not go in plaintext\r\n\r\nSecret.");
        assertTrue(reply.startsWith("250 2.0.0"), reply);

        assertNull(sink.delivered().poll(3, TimeUnit.SECONDS), "the message went out in plaintext");
        try (Stream<Path> files = Files.walk(dir.resolve("queue"))) {
            assertTrue(files.anyMatch(file -> Files.isRegularFile(file) && !file.toString().contains("corrupt")),
                    "the deferred message is no longer in the queue");
        }
    }

    @Test
    void start_saysWhichCryptoProvidersItUses() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(Relay.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            relay(destination(false));
        } finally {
            logger.detachAppender(log);
        }
        List<String> crypto = log.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(line -> line.startsWith("crypto: ")).toList();
        assertEquals(1, crypto.size(), crypto.toString());
        String expected = "jdk".equals(System.getProperty(CryptoProviders.PROPERTY))
                ? "crypto: the JDK's providers \\(-Dsealpost\\.crypto=jdk\\)"
                : CryptoProviders.loadingError() == null
                ? "crypto: Amazon Corretto Crypto Provider 2\\.5\\.0 \\(AWS-LC v[0-9.]+\\) for RSA, Ed25519, ECDSA, AES-GCM, SHA-2"
                : "crypto: the JDK's providers \\(ACCP not loaded: .+\\)";
        assertTrue(crypto.get(0).matches(expected), crypto.get(0));
    }

    @Test
    void cryptoProviderJdk_startsWithTheJdksProviders_andDelivers() throws Exception {
        assumeTrue(System.getProperty(CryptoProviders.PROPERTY) == null, "-Dsealpost.crypto overrides crypto_provider");
        try {
            Relay relay = relay(destination(true), "tls_policy.dest.test = encrypt", "crypto_provider = jdk");
            assertFalse(CryptoProviders.accpInstalled());
            String reply = submit(relay.boundAddresses().get("submission"), "Subject: jdk providers\r\n\r\nHello.");
            assertTrue(reply.startsWith("250 2.0.0"), reply);
            assertNotNull(sink.delivered().poll(20, TimeUnit.SECONDS), "the destination did not receive the message");
        } finally {
            CryptoProviders.install(ProviderChoice.AUTO); // the providers of the run again, for the tests after this one
        }
    }

    @Test
    void unknownCryptoProperty_isAStartupFailure_thatNamesIt() throws Exception {
        assumeTrue(System.getProperty(CryptoProviders.PROPERTY) == null, "this run sets -Dsealpost.crypto itself");
        InetSocketAddress destination = destination(false);
        System.setProperty(CryptoProviders.PROPERTY, "boringssl");
        try {
            StartupFailure e = assertThrows(StartupFailure.class, () -> relay(destination));
            assertEquals("-Dsealpost.crypto=boringssl: expected auto, accp or jdk", e.getMessage());
        } finally {
            System.clearProperty(CryptoProviders.PROPERTY);
        }
    }

    @Test
    void start_saysWhichTlsEngineItUses_andTheGroupsItOffers() throws Exception {
        List<String> lines = logOf(Relay.class, () -> relay(destination(false)));
        List<String> tls = lines.stream().filter(line -> line.startsWith("tls: ")).toList();
        assertEquals(1, tls.size(), tls.toString());
        String expected = "jdk".equals(System.getProperty(TlsEngines.PROPERTY))
                ? "tls: the JDK's SSLEngine \\(-Dsealpost\\.tls=jdk\\) groups x25519:secp256r1:.*"
                : TlsEngines.unavailabilityCause() == null
                ? "tls: BoringSSL \\(netty-tcnative 2\\.0\\.84\\) groups X25519MLKEM768:X25519:P-256:P-384"
                : "tls: the JDK's SSLEngine \\(BoringSSL not loaded: .+\\) groups x25519:.*";
        assertTrue(tls.get(0).matches(expected), tls.get(0));
    }

    @Test
    void deliveryLogLine_namesTheGroup_whereTheEngineTellsIt() throws Exception {
        InetSocketAddress destination = destination(true);
        List<String> lines = logOf(SmtpDeliverer.class, () -> {
            Relay relay = relay(destination, "tls_policy.dest.test = encrypt");
            String reply = submit(relay.boundAddresses().get("submission"), "Subject: groups\r\n\r\nHello.");
            assertTrue(reply.startsWith("250 2.0.0"), reply);
            assertNotNull(sink.delivered().poll(20, TimeUnit.SECONDS), "the destination did not receive the message");
            Thread.sleep(200); // the log line follows the 250 of the destination
        });
        String sent = lines.stream().filter(line -> line.contains("status=sent")).findFirst().orElseThrow(() -> new AssertionError(lines.toString()));
        // BoringSSL on both sides agrees on the hybrid group and says so; the JDK 17 engine cannot tell
        String tls = TlsEngines.current().boringSsl() ? "tls=TLSv1\\.3 TLS_AES_\\S+ X25519MLKEM768 \\(none\\)"
                : "tls=TLSv1\\.3 TLS_AES_\\S+ \\(none\\)";
        assertTrue(java.util.regex.Pattern.compile(tls).matcher(sent).find(), sent);
    }

    @Test
    void tlsEngineJdk_startsWithTheJdksEngine_andDelivers() throws Exception {
        assumeTrue(System.getProperty(TlsEngines.PROPERTY) == null, "-Dsealpost.tls overrides tls_engine");
        try {
            InetSocketAddress destination = destination(true);
            List<String> lines = logOf(Relay.class, () -> {
                Relay relay = relay(destination, "tls_policy.dest.test = encrypt", "tls_engine = jdk");
                assertFalse(TlsEngines.current().boringSsl());
                String reply = submit(relay.boundAddresses().get("submission"), "Subject: jdk engine\r\n\r\nHello.");
                assertTrue(reply.startsWith("250 2.0.0"), reply);
                assertNotNull(sink.delivered().poll(20, TimeUnit.SECONDS), "the destination did not receive the message");
            });
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("tls: the JDK's SSLEngine (tls_engine = jdk) groups ")),
                    lines.toString());
        } finally {
            TlsEngines.install(TlsEngineChoice.AUTO); // the engine of the run again, for the tests after this one
        }
    }

    @Test
    void unknownTlsProperty_isAStartupFailure_thatNamesIt() throws Exception {
        assumeTrue(System.getProperty(TlsEngines.PROPERTY) == null, "this run sets -Dsealpost.tls itself");
        InetSocketAddress destination = destination(false);
        System.setProperty(TlsEngines.PROPERTY, "boringssl");
        try {
            StartupFailure e = assertThrows(StartupFailure.class, () -> relay(destination));
            assertEquals("-Dsealpost.tls=boringssl: expected auto, openssl or jdk", e.getMessage());
        } finally {
            System.clearProperty(TlsEngines.PROPERTY);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /** What {@code source} logged while {@code step} ran. */
    private static List<String> logOf(Class<?> source, Step step) throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(source);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            step.run();
        } finally {
            logger.detachAppender(log);
        }
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
