package org.sealpost.keyexchange.policy;

import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A connection as a policy sees it after EHLO, without a socket: TLS with a given chain or
 * plaintext, the EHLO keywords announced, and scripted replies to commands (none by default: a
 * command fails the way a broken connection would). It keeps the commands it was sent.
 */
public final class TestPeer implements PeerSession {

    private final String host;
    private final int port;
    private final boolean tls;
    private final List<Certificate> chain;
    private final Map<String, String> keywords;
    private final Function<String, Reply> replies;
    private final List<String> sent = new CopyOnWriteArrayList<>();

    private TestPeer(String host, int port, boolean tls, List<Certificate> chain, Map<String, String> keywords,
            Function<String, Reply> replies) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.chain = List.copyOf(chain);
        this.keywords = Map.copyOf(keywords);
        this.replies = replies;
    }

    /** STARTTLS completed on port 25 and the peer presented {@code chain}, leaf first. */
    public static TestPeer tls(String host, List<Certificate> chain) {
        return new TestPeer(host, 25, true, chain, Map.of(), null);
    }

    /** No STARTTLS on port 25: no chain. */
    public static TestPeer plaintext(String host) {
        return new TestPeer(host, 25, false, List.of(), Map.of(), null);
    }

    /** The same peer also announcing {@code keyword} with {@code parameter} ("" for none) in its EHLO reply. */
    public TestPeer announcing(String keyword, String parameter) {
        Map<String, String> more = new java.util.HashMap<>(keywords);
        more.put(keyword, parameter);
        return new TestPeer(host, port, tls, chain, more, replies);
    }

    /** The same peer answering every command with what {@code script} returns for it. */
    public TestPeer replying(Function<String, Reply> script) {
        return new TestPeer(host, port, tls, chain, keywords, script);
    }

    /** The commands sent to this peer, in order. */
    public List<String> sent() {
        return List.copyOf(sent);
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public boolean tls() {
        return tls;
    }

    @Override
    public List<Certificate> peerChain() {
        return chain;
    }

    @Override
    public String ehloKeyword(String keyword) {
        return keywords.get(keyword);
    }

    @Override
    public CompletableFuture<Reply> command(String command) {
        sent.add(command);
        if (replies == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no commands here"));
        }
        return CompletableFuture.completedFuture(replies.apply(command));
    }
}
