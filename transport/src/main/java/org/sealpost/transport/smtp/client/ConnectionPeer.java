package org.sealpost.transport.smtp.client;

import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.sealpost.keyexchange.policy.PeerSession;

/** What a hop policy sees of a connection once EHLO is answered (after STARTTLS, where TLS is up). */
final class ConnectionPeer implements PeerSession {

    private final SmtpConnection connection;
    private final Duration timeout;

    ConnectionPeer(SmtpConnection connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
    }

    @Override
    public String host() {
        return connection.target().host();
    }

    @Override
    public int port() {
        return connection.target().port();
    }

    @Override
    public boolean tls() {
        return connection.tls() != null;
    }

    @Override
    public List<Certificate> peerChain() {
        return connection.peerChain();
    }

    @Override
    public String ehloKeyword(String keyword) {
        return connection.ehloReply().keywordValue(keyword);
    }

    @Override
    public CompletableFuture<Reply> command(String command) {
        return connection.send(command, timeout, true).thenApply(reply -> new Reply(reply.code(), reply.lines()));
    }
}
