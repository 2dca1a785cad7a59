package org.sealpost.transport.relay;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import org.sealpost.transport.config.ConfigException;

/** The listeners' TLS context, from the PEM files of the configuration. */
final class ServerTls {

    private ServerTls() {
    }

    /**
     * Loads a PEM certificate chain and its private key (PKCS#8, or PKCS#1 as openssl and
     * opendkim-genkey write it, read through Bouncy Castle). TLS 1.2 and 1.3 only: RFC 8996
     * retires the versions before them.
     */
    static SslContext load(Path certificate, Path key) throws ConfigException {
        try {
            return SslContextBuilder.forServer(certificate.toFile(), key.toFile())
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
        } catch (Exception | Error e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ConfigException("tls_cert_file " + certificate + " / tls_key_file " + key
                    + ": cannot load the certificate and key (" + cause.getMessage()
                    + "); expected a PEM certificate chain and the PEM private key that matches it");
        }
    }
}
