package org.sealpost.transport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.dnssec.lab.KnotLab;
import org.sealpost.transport.smtp.server.ListenerRole;
import org.sealpost.transport.smtp.server.ListenerSettings;
import org.sealpost.transport.smtp.server.SessionLimits;
import org.sealpost.transport.smtp.server.SmtpServer;
import picocli.CommandLine;

/** sealpost check -> lab DNS (knotd, unbound) -> a Sealpost listener with STARTTLS whose key is in TLSA. */
class CheckCommandTest {

    @TempDir
    static Path dir;

    private static final NioEventLoopGroup GROUP = new NioEventLoopGroup(1);
    private static KnotLab lab;
    private static SmtpServer server;
    private static InetSocketAddress unbound;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        SelfSignedCertificate certificate = new SelfSignedCertificate("mx.checkok.good.test");
        server = new SmtpServer(new ListenerSettings("mx", ListenerRole.MX, new InetSocketAddress("127.0.0.1", 0),
                "mx.checkok.good.test", List.of(), Set.of("checkok.good.test"),
                SslContextBuilder.forServer(certificate.certificate(), certificate.privateKey()).build(), null,
                new SessionLimits(2048, 1000, 1 << 20, 100, Duration.ofMinutes(1), Duration.ofMinutes(5), 10)),
                new DemoMailbox(), GROUP, NioServerSocketChannel.class);
        port = server.start().getPort();
        String spki = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(certificate.cert().getPublicKey().getEncoded()));
        lab = KnotLab.start(dir, "checkok IN MX 10 mx.checkok\nmx.checkok IN A 127.0.0.1\n"
                + "_" + port + "._tcp.mx.checkok IN TLSA 3 1 1 " + spki + "\n"
                + "checkbad IN MX 10 mx.checkbad\nmx.checkbad IN A 127.0.0.1\n"
                + "_" + port + "._tcp.mx.checkbad IN TLSA 3 1 1 " + "11".repeat(32) + "\n");
        unbound = lab.startUnbound();
    }

    @AfterAll
    static void stop() throws Exception {
        if (lab != null) {
            lab.close();
        }
        if (server != null) {
            server.close();
        }
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private record Run(int status, String out) {
    }

    private static Run check(String domain) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int status = new CommandLine(new Main()).execute("check", domain, "--resolver", "127.0.0.1:" + unbound.getPort(),
                    "--trust-anchor", lab.trustAnchors.toString(), "--port", String.valueOf(port));
            return new Run(status, out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void matchingTlsa_isVerifiedByDaneEe_andDelivers() {
        Run run = check("checkok.good.test");
        assertEquals(0, run.status(), run.out());
        assertTrue(run.out().contains("MX checkok.good.test: [10 mx.checkok.good.test] (SECURE)"), run.out());
        assertTrue(run.out().contains("TLSA 3 1 1 "), run.out());
        List<String> lines = run.out().lines().toList();
        assertEquals("policy=dane-only tls=yes verified=dane-ee verdict=deliver", lines.get(lines.size() - 1));
    }

    @Test
    void mismatchingTlsa_defers_exit1() {
        Run run = check("checkbad.good.test");
        assertEquals(1, run.status(), run.out());
        List<String> lines = run.out().lines().toList();
        assertEquals("policy=dane-only tls=no verified=none verdict=defer", lines.get(lines.size() - 1));
        assertTrue(run.out().contains("4.7.5"), run.out());
    }

    @Test
    void unsignedMx_meansNoDane_soTheLevelFallsToMay() {
        Run run = check("plain.test");
        assertTrue(run.out().contains("MX plain.test: [10 mx.plain.test] (INSECURE)"), run.out());
        assertTrue(run.out().contains("policy: may (check/no-dane)"), run.out());
    }
}
