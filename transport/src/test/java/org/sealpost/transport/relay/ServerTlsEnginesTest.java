package org.sealpost.transport.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sealpost.transport.tls.TlsEngine;
import org.sealpost.transport.tls.TlsEngineChoice;
import org.sealpost.transport.tls.TlsEngines;

/**
 * The listeners' context from the files of tls_cert_file and tls_key_file with either engine: a PKCS#8
 * RSA key with a chain of two, and a SEC 1 EC key with its own certificate, each handshaking with a
 * client of either engine in memory. The client sees the whole chain, the server the SNI name, and
 * where BoringSSL is on both sides the hybrid group is what they agree on.
 */
class ServerTlsEnginesTest {

    @ParameterizedTest(name = "{0} key, {1} server, {2} client")
    @CsvSource({
        "rsa-pkcs8-key.pem, rsa-chain.pem, openssl, openssl, X25519MLKEM768, 2",
        "rsa-pkcs8-key.pem, rsa-chain.pem, openssl, jdk, X25519, 2",
        "rsa-pkcs8-key.pem, rsa-chain.pem, jdk, openssl, X25519, 2",
        "rsa-pkcs8-key.pem, rsa-chain.pem, jdk, jdk, , 2",
        "ec-sec1-key.pem, ec-cert.pem, openssl, openssl, X25519MLKEM768, 1",
        "ec-sec1-key.pem, ec-cert.pem, openssl, jdk, X25519, 1",
        "ec-sec1-key.pem, ec-cert.pem, jdk, openssl, X25519, 1",
        "ec-sec1-key.pem, ec-cert.pem, jdk, jdk, , 1",
    })
    void keyFiles_loadAndHandshake_alikeWithBothEngines(String keyFile, String certFile, String serverEngine,
            String clientEngine, String group, int chainLength) throws Exception {
        boolean openssl = serverEngine.equals("openssl") || clientEngine.equals("openssl");
        assumeTrue(!openssl || TlsEngines.unavailabilityCause() == null, "netty-tcnative-boringssl-static does not load here");
        TlsKeyPair pair = TlsKeyPair.read(resource(certFile), resource(keyFile));
        SslContext server = ServerTls.context(pair, engine(serverEngine));
        SslContext client = engine(clientEngine).configure(SslContextBuilder.forClient()
                .trustManager(InsecureTrustManagerFactory.INSTANCE)).build();
        SSLEngine serverSide = server.newEngine(ByteBufAllocator.DEFAULT);
        SSLEngine clientSide = client.newEngine(ByteBufAllocator.DEFAULT, "mx.example.test", 25);
        handshake(clientSide, serverSide);

        assertEquals("TLSv1.3", clientSide.getSession().getProtocol());
        assertEquals(clientSide.getSession().getCipherSuite(), serverSide.getSession().getCipherSuite());
        Certificate[] seen = clientSide.getSession().getPeerCertificates();
        assertEquals(chainLength, seen.length);
        for (int i = 0; i < chainLength; i++) {
            assertArrayEquals(pair.chain().get(i).getEncoded(), seen[i].getEncoded(), "certificate " + i);
        }
        assertEquals(List.of(new SNIHostName("mx.example.test")),
                ((ExtendedSSLSession) serverSide.getSession()).getRequestedServerNames());
        // Each side names the group where its engine can tell (BoringSSL); the JDK's says nothing.
        String expected = group == null || group.isEmpty() ? null : group;
        assertEquals(serverEngine.equals("openssl") ? expected : null, TlsEngine.group(serverSide), "server's group");
        assertEquals(clientEngine.equals("openssl") ? expected : null, TlsEngine.group(clientSide), "client's group");
    }

    @ParameterizedTest(name = "{0} on both sides")
    @CsvSource({"openssl", "jdk"})
    void secondConnectionOfOneClientContext_stillShowsThePeerChain(String name) throws Exception {
        assumeTrue(name.equals("jdk") || TlsEngines.unavailabilityCause() == null, "netty-tcnative-boringssl-static does not load here");
        TlsKeyPair pair = TlsKeyPair.read(resource("rsa-chain.pem"), resource("rsa-pkcs8-key.pem"));
        SslContext server = ServerTls.context(pair, engine(name));
        // as Connector's: one client context for every connection, SNI and the port name the peer
        SslContext client = engine(name).configure(SslContextBuilder.forClient()
                .trustManager(InsecureTrustManagerFactory.INSTANCE)).build();
        for (int connection = 0; connection < 2; connection++) {
            SSLEngine serverSide = server.newEngine(ByteBufAllocator.DEFAULT);
            SSLEngine clientSide = client.newEngine(ByteBufAllocator.DEFAULT, "mx.example.test", 25);
            handshake(clientSide, serverSide);
            // the policies read the chain of every session, resumed (a ticket of the first) or not
            Certificate[] seen = clientSide.getSession().getPeerCertificates();
            assertEquals(2, seen.length, "connection " + connection);
            assertArrayEquals(pair.leaf().getEncoded(), seen[0].getEncoded(), "connection " + connection);
            assertEquals("TLSv1.3", clientSide.getSession().getProtocol());
        }
    }

    private static TlsEngine engine(String name) throws Exception {
        return TlsEngines.of(TlsEngineChoice.of(name));
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ServerTlsEnginesTest.class.getResource("/tls/" + name).toURI());
    }

    /** Both engines' records passed back and forth until neither has more to say. */
    static void handshake(SSLEngine client, SSLEngine server) throws Exception {
        ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
        ByteBuffer application = ByteBuffer.allocate(1 << 17);
        ByteBuffer nothing = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0, quiet = 0; round < 20 && quiet < 2; round++) {
            quiet = done(client) && done(server) && toServer.position() == 0 && toClient.position() == 0 ? quiet + 1 : 0;
            client.wrap(nothing, toServer);
            tasks(client);
            toServer.flip();
            server.unwrap(toServer, application);
            tasks(server);
            toServer.compact();
            server.wrap(nothing, toClient);
            tasks(server);
            toClient.flip();
            client.unwrap(toClient, application);
            tasks(client);
            toClient.compact();
        }
        assertEquals(HandshakeStatus.NOT_HANDSHAKING, client.getHandshakeStatus());
        assertEquals(HandshakeStatus.NOT_HANDSHAKING, server.getHandshakeStatus());
    }

    private static boolean done(SSLEngine engine) {
        return engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
    }

    private static void tasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
