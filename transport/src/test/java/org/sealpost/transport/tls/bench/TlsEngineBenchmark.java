package org.sealpost.transport.tls.bench;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sealpost.signing.crypto.CryptoProviders;
import org.sealpost.signing.crypto.ProviderChoice;
import org.sealpost.transport.tls.TlsEngine;
import org.sealpost.transport.tls.TlsEngineChoice;
import org.sealpost.transport.tls.TlsEngines;

/**
 * The two TLS engines of tls_engine in memory, one thread, contexts made as ServerTls and Connector
 * make them (TLS 1.3 and 1.2, the engine's groups, an RSA-2048 certificate as `sealpost tls keygen`
 * makes one, a client that trusts any chain): (a) full TLS 1.3 handshakes, client and server engine
 * both in this thread, no session resumption; (b) a 4 KiB and a 1 MiB message through the client's
 * wrap and the server's unwrap after the handshake. crypto is crypto_provider: the JDK's engine does
 * its cryptography through the JCA providers (ACCP with auto), BoringSSL through its own.
 * transport/bench/run-tls.sh runs it beside openssl speed.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class TlsEngineBenchmark {

    /** A server and a client context of one engine. */
    @State(Scope.Thread)
    public static class Contexts {
        @Param({"openssl", "jdk"})
        public String engine;

        @Param({"auto", "jdk"})
        public String crypto;

        SslContext server;
        SslContext client;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            if (CryptoProviders.install(ProviderChoice.of(crypto)).accp() != crypto.equals("auto")) {
                throw new IllegalStateException("ACCP does not load here: " + CryptoProviders.loadingError());
            }
            TlsEngine chosen = TlsEngines.of(TlsEngineChoice.of(engine));
            try (InputStream cert = resource("rsa-cert.pem"); InputStream key = resource("rsa-pkcs8-key.pem")) {
                server = chosen.configure(SslContextBuilder.forServer(cert, key)).build();
            }
            client = chosen.configure(SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)).build();
            System.out.println("# " + chosen.startLine() + "; crypto " + crypto);
        }

        private static InputStream resource(String name) {
            return TlsEngineBenchmark.class.getResourceAsStream("/tls/" + name);
        }
    }

    /** An established session, its records passed through direct buffers as the event loop's are. */
    @State(Scope.Thread)
    public static class Session {
        @Param({"4096", "1048576"})
        public int size;

        SSLEngine client;
        SSLEngine server;
        ByteBuffer message;
        ByteBuffer net;
        ByteBuffer application;

        @Setup(Level.Trial)
        public void setUp(Contexts contexts) throws Exception {
            client = contexts.client.newEngine(ByteBufAllocator.DEFAULT);
            server = contexts.server.newEngine(ByteBufAllocator.DEFAULT);
            handshake(client, server);
            message = ByteBuffer.allocateDirect(size);
            for (int i = 0; i < size; i++) {
                message.put((byte) ('a' + i % 26));
            }
            net = ByteBuffer.allocateDirect(client.getSession().getPacketBufferSize() * 4);
            application = ByteBuffer.allocateDirect(size + client.getSession().getApplicationBufferSize());
            System.out.println("# session " + client.getSession().getProtocol() + " " + client.getSession().getCipherSuite()
                    + " " + TlsEngine.group(client));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            ReferenceCountUtil.release(client);
            ReferenceCountUtil.release(server);
        }
    }

    @Benchmark
    public String handshake(Contexts contexts) throws Exception {
        SSLEngine client = contexts.client.newEngine(ByteBufAllocator.DEFAULT);
        SSLEngine server = contexts.server.newEngine(ByteBufAllocator.DEFAULT);
        try {
            handshake(client, server);
            return client.getSession().getCipherSuite();
        } finally {
            // OPENSSL engines free their native SSL with the cleaner; released here so that
            // thousands a second do not wait for it (SslHandler does the same on close).
            ReferenceCountUtil.release(client);
            ReferenceCountUtil.release(server);
        }
    }

    /** One message, client to server: wrapped record by record, each unwrapped at once. */
    @Benchmark
    public int bulk(Session session) throws SSLException {
        ByteBuffer message = session.message;
        message.clear();
        session.application.clear();
        while (message.hasRemaining()) {
            session.net.clear();
            check(session.client.wrap(message, session.net));
            session.net.flip();
            while (session.net.hasRemaining()) {
                check(session.server.unwrap(session.net, session.application));
            }
        }
        if (session.application.position() != session.size) {
            throw new IllegalStateException("unwrapped " + session.application.position() + " of " + session.size);
        }
        return session.application.position();
    }

    private static void check(SSLEngineResult result) {
        if (result.getStatus() != SSLEngineResult.Status.OK) {
            throw new IllegalStateException(result.toString());
        }
    }

    /** Both engines' records passed back and forth until neither has more to say. */
    static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        ByteBuffer toServer = ByteBuffer.allocateDirect(1 << 16);
        ByteBuffer toClient = ByteBuffer.allocateDirect(1 << 16);
        ByteBuffer application = ByteBuffer.allocateDirect(1 << 16);
        ByteBuffer nothing = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 20; round++) {
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
            if (client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
                    && server.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING && toServer.position() == 0
                    && toClient.position() == 0) {
                return;
            }
        }
        throw new IllegalStateException("no handshake after 20 rounds: " + client.getHandshakeStatus() + " / "
                + server.getHandshakeStatus());
    }

    private static void tasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
