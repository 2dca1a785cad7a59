package org.sealpost.transport.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sealpost.keyexchange.pins.KeySet;
import org.sealpost.transport.config.NetworkRange;

/** A listener on a real loopback socket: STARTTLS, SASL inside TLS, the per-client connection limit. */
class SmtpServerTest {

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final RecordingSink sink = new RecordingSink();
    private SmtpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private KeySet xkeys;

    private InetSocketAddress start(int connectionsPerClient) throws Exception {
        return start(connectionsPerClient, "192.0.2.0/24");
    }

    private InetSocketAddress start(int connectionsPerClient, String trusted) throws Exception {
        SelfSignedCertificate certificate = new SelfSignedCertificate("relay.example.test");
        xkeys = KeySet.sign("relay.example.test", 1, Instant.now().minusSeconds(60), Instant.now().plusSeconds(86400), "",
                List.of(KeySet.spkiSha256(certificate.cert().getPublicKey())), List.of(), List.of(), certificate.key());
        SessionLimits limits = new SessionLimits(512, 1000, 1 << 20, 100, Duration.ofMinutes(1), Duration.ofMinutes(5),
                connectionsPerClient);
        ListenerSettings settings = new ListenerSettings("submission", ListenerRole.SUBMISSION,
                new InetSocketAddress("127.0.0.1", 0), "relay.example.test", List.of(NetworkRange.parse(trusted)),
                Set.of(), SslContextBuilder.forServer(certificate.certificate(), certificate.privateKey()).build(),
                (user, password) -> user.equals("postfix") && password.equals("s3cret"), limits, () -> xkeys);
        server = new SmtpServer(settings, sink, group, NioServerSocketChannel.class);
        return server.start();
    }

    /** A line-oriented client that can switch to TLS on the same connection. */
    private static final class Client implements AutoCloseable {
        Socket socket;
        BufferedReader in;
        OutputStream out;

        Client(InetSocketAddress address) throws Exception {
            socket = new Socket(address.getAddress(), address.getPort());
            socket.setSoTimeout(10_000);
            streams();
        }

        void streams() throws Exception {
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        void write(String text) throws Exception {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** One whole reply, all its lines. */
        List<String> reply() throws Exception {
            List<String> lines = new ArrayList<>();
            String line;
            do {
                line = in.readLine();
                if (line == null) {
                    lines.add("(closed)");
                    return lines;
                }
                lines.add(line);
            } while (line.length() > 3 && line.charAt(3) == '-');
            return lines;
        }

        void startTls() throws Exception {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] chain, String type) {
                }

                public void checkServerTrusted(X509Certificate[] chain, String type) {
                }

                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "relay.example.test",
                    socket.getPort(), true);
            tls.startHandshake();
            socket = tls;
            streams();
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    @Test
    void starttls_discardsPipelinedPlaintext_andResetsTheSession() throws Exception {
        try (Client client = new Client(start(10))) {
            client.reply();
            client.write("EHLO client.example\r\n");
            assertTrue(client.reply().contains("250-STARTTLS"));
            // The injected command rides in the same packet as STARTTLS: it must never be executed.
            client.write("STARTTLS\r\nMAIL FROM:<evil@example.org>\r\n");
            assertEquals(List.of("220 2.0.0 Ready to start TLS"), client.reply());
            client.startTls();
            client.write("NOOP\r\n");
            assertEquals(List.of("250 2.0.0 Ok"), client.reply(), "a reply to the injected command came first");
            client.write("MAIL FROM:<a@example.org>\r\n");
            assertEquals("503 5.5.1 Error: send HELO/EHLO first", client.reply().get(0));
            client.write("EHLO client.example\r\n");
            List<String> ehlo = client.reply();
            assertFalse(ehlo.contains("250-STARTTLS"), ehlo.toString());
            assertTrue(ehlo.contains("250-AUTH PLAIN LOGIN"), ehlo.toString());
        }
    }

    @Test
    void authInsideTls_acceptsTheRightPasswordOnly_andTheLoginMayRelay() throws Exception {
        try (Client client = new Client(start(10))) {
            client.reply();
            client.write("EHLO client.example\r\nSTARTTLS\r\n");
            client.reply();
            client.reply();
            client.startTls();
            client.write("EHLO client.example\r\n");
            client.reply();
            client.write("MAIL FROM:<a@example.org>\r\n");
            assertEquals("530 5.7.0 Authentication required", client.reply().get(0));
            client.write("AUTH PLAIN " + plain("postfix", "wrong") + "\r\n");
            assertEquals("535 5.7.8 Error: authentication failed", client.reply().get(0));
            client.write("AUTH LOGIN\r\n");
            assertEquals("334 VXNlcm5hbWU6", client.reply().get(0));
            client.write(b64("postfix") + "\r\n");
            assertEquals("334 UGFzc3dvcmQ6", client.reply().get(0));
            client.write(b64("s3cret") + "\r\n");
            assertEquals("235 2.7.0 Authentication successful", client.reply().get(0));
            client.write("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@anywhere.example>\r\nDATA\r\nSubject: t\r\n\r\nx\r\n.\r\n");
            client.reply();
            client.reply();
            client.reply();
            assertEquals("250 2.0.0 Ok: queued as 00000000000000AB", client.reply().get(0));
            assertEquals("ESMTPSA", sink.committed.get(0).envelope().client().protocol());
            assertEquals("postfix", sink.committed.get(0).envelope().client().authUser());
            assertTrue(sink.committed.get(0).content().contains("(version=TLSv1."), sink.committed.get(0).content());
        }
    }

    @Test
    void xkeys_isAdvertisedAndServedOnlyInsideTls() throws Exception {
        try (Client client = new Client(start(10))) {
            client.reply();
            client.write("EHLO client.example\r\n");
            assertFalse(client.reply().stream().anyMatch(l -> l.contains("XKEYS")), "XKEYS advertised before TLS");
            client.write("XKEYS\r\n");
            assertEquals("530 5.7.0 Must issue a STARTTLS command first", client.reply().get(0));
            client.write("STARTTLS\r\n");
            client.reply();
            client.startTls();
            client.write("EHLO client.example\r\n");
            assertTrue(client.reply().stream().anyMatch(line -> line.substring(4).equals("XKEYS 1 " + xkeys.hash())));
            client.write("XKEYS\r\n");
            List<String> reply = client.reply();
            assertEquals("250-2.0.0 XKEYS 1 " + xkeys.encode().length, reply.get(0));
            assertEquals("250 2.0.0 end", reply.get(reply.size() - 1));
            StringBuilder base64 = new StringBuilder();
            reply.subList(1, reply.size() - 1).forEach(line -> base64.append(line.substring(4)));
            KeySet fetched = KeySet.parse(Base64.getDecoder().decode(base64.toString()));
            assertEquals(xkeys.hash(), fetched.hash());
            assertTrue(reply.stream().allMatch(line -> line.length() <= 512));
        }
    }

    /** RFC 8689 2: REQUIRETLS is offered and taken only inside TLS, as a keyword without value, beside SIZE and the rest. */
    @Test
    void requireTls_isAdvertisedAndAcceptedOnlyInsideTls_andKeptWithTheMessage() throws Exception {
        try (Client client = new Client(start(10))) {
            client.reply();
            client.write("EHLO client.example\r\n");
            assertFalse(client.reply().contains("250-REQUIRETLS"), "REQUIRETLS advertised before TLS");
            client.write("AUTH PLAIN " + plain("postfix", "s3cret") + "\r\n");
            client.reply(); // 538: no login outside TLS, so MAIL is refused for want of one or of TLS
            client.write("STARTTLS\r\n");
            client.reply();
            client.startTls();
            client.write("EHLO client.example\r\n");
            assertTrue(client.reply().contains("250-REQUIRETLS"), "REQUIRETLS not advertised inside TLS");
            client.write("AUTH PLAIN " + plain("postfix", "s3cret") + "\r\n");
            assertEquals("235 2.7.0 Authentication successful", client.reply().get(0));
            client.write("MAIL FROM:<a@example.org> REQUIRETLS=yes\r\n");
            assertEquals("555 5.5.4 Error: REQUIRETLS takes no value", client.reply().get(0));
            client.write("MAIL FROM:<a@example.org> SIZE=100 REQUIRETLS BODY=8BITMIME SMTPUTF8\r\n");
            assertEquals("250 2.1.0 Ok", client.reply().get(0));
            client.write("RCPT TO:<b@anywhere.example>\r\nDATA\r\nSubject: t\r\n\r\nx\r\n.\r\n");
            client.reply();
            client.reply();
            assertEquals("250 2.0.0 Ok: queued as 00000000000000AB", client.reply().get(0));
            assertTrue(sink.committed.get(0).envelope().requireTls());
            client.write("MAIL FROM:<a@example.org> SIZE=100\r\nRCPT TO:<b@anywhere.example>\r\nDATA\r\nSubject: t\r\n\r\nx\r\n.\r\n");
            client.reply();
            client.reply();
            client.reply();
            assertEquals("250 2.0.0 Ok: queued as 00000000000000AB", client.reply().get(0));
            assertFalse(sink.committed.get(1).envelope().requireTls(), "REQUIRETLS carried over to the next transaction");
        }
    }

    @Test
    void requireTlsOutsideTls_isRefusedWith530_5_7_10() throws Exception {
        try (Client client = new Client(start(10, "127.0.0.0/8"))) {
            client.reply();
            client.write("EHLO client.example\r\n");
            client.reply();
            client.write("MAIL FROM:<a@example.org> SIZE=10 REQUIRETLS\r\n");
            assertEquals("530 5.7.10 Error: REQUIRETLS needs an encrypted session; issue STARTTLS first",
                    client.reply().get(0));
            client.write("MAIL FROM:<a@example.org> SIZE=10\r\n");
            assertEquals("250 2.1.0 Ok", client.reply().get(0));
        }
    }

    @Test
    void connectionsOverThePerClientLimit_getA421() throws Exception {
        InetSocketAddress address = start(1);
        try (Client first = new Client(address); Client second = new Client(address)) {
            assertTrue(first.reply().get(0).startsWith("220 "));
            assertEquals("421 4.7.0 relay.example.test Error: too many connections from 127.0.0.1", second.reply().get(0));
        }
    }

    /** RFC 4616 2: a login acts only as itself; another authorization identity is refused even with the right password. */
    @Test
    void authPlainWithAnotherAuthorizationIdentity_isRefused() throws Exception {
        try (Client client = new Client(start(10))) {
            client.reply();
            client.write("EHLO client.example\r\nSTARTTLS\r\n");
            client.reply();
            client.reply();
            client.startTls();
            client.write("EHLO client.example\r\n");
            client.reply();
            client.write("AUTH PLAIN " + b64("admin\0postfix\0s3cret") + "\r\n");
            assertEquals("535 5.7.8 Error: authentication failed", client.reply().get(0));
            client.write("MAIL FROM:<a@example.org>\r\n");
            assertEquals("530 5.7.0 Authentication required", client.reply().get(0));
            client.write("AUTH PLAIN " + b64("postfix\0postfix\0s3cret") + "\r\n");
            assertEquals("235 2.7.0 Authentication successful", client.reply().get(0));
        }
    }

    private static String plain(String user, String password) {
        return b64("\0" + user + "\0" + password);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
