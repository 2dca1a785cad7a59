package org.sealpost.transport.relay;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSessionContext;
import org.sealpost.transport.tls.TlsEngine;
import org.sealpost.transport.tls.TlsEngines;

/**
 * The listeners' TLS context, from the PEM files of the configuration. A reload (SIGHUP) puts a
 * context with the new certificate and key in place: every STARTTLS from then on presents them,
 * while sessions already in TLS keep the engine they began with. TLS 1.2 and 1.3 only: RFC 8996
 * retires the versions before them. The engine is tls_engine's (TlsEngines): BoringSSL or the JDK's.
 */
final class ServerTls extends SslContext {

    private volatile SslContext current;
    private volatile TlsKeyPair pair;

    private ServerTls(TlsKeyPair pair, SslContext context) {
        use(pair, context);
    }

    /** The context of tls_cert_file and tls_key_file, read and checked to be a pair. */
    static ServerTls load(TlsKeyPair pair) throws StartupFailure {
        return new ServerTls(pair, context(pair));
    }

    /** Presents {@code pair} (with its {@link #context}) from the next STARTTLS on. */
    void use(TlsKeyPair pair, SslContext context) {
        this.current = context;
        this.pair = pair;
    }

    /** A context of tls_engine's engine (TlsEngines): its provider, TLS 1.2 and 1.3, its groups. */
    static SslContext context(TlsKeyPair pair) throws StartupFailure {
        return context(pair, TlsEngines.current());
    }

    static SslContext context(TlsKeyPair pair, TlsEngine engine) throws StartupFailure {
        try {
            return engine.configure(SslContextBuilder.forServer(pair.key(), pair.chain())).build();
        } catch (Exception | Error e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StartupFailure("tls_cert_file " + pair.certificateFile() + " / tls_key_file " + pair.keyFile()
                    + ": cannot load the certificate and key (" + cause.getMessage()
                    + "); expected a PEM certificate chain and the PEM private key that matches it");
        }
    }

    /** The certificate and key presented now. */
    TlsKeyPair pair() {
        return pair;
    }

    @Override
    public boolean isClient() {
        return false;
    }

    @Override
    public List<String> cipherSuites() {
        return current.cipherSuites();
    }

    @Override
    public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
        return current.applicationProtocolNegotiator();
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc) {
        return current.newEngine(alloc);
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
        return current.newEngine(alloc, peerHost, peerPort);
    }

    @Override
    public SSLSessionContext sessionContext() {
        return current.sessionContext();
    }
}
