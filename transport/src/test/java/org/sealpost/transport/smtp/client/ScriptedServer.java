package org.sealpost.transport.smtp.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small SMTP peer with scripted replies, for the client's tests: it records every byte it
 * receives, counts connections, and can refuse, delay or never answer chosen commands.
 */
final class ScriptedServer implements AutoCloseable {

    final ServerSocket socket;
    final ExecutorService threads = Executors.newCachedThreadPool();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger maxOpen = new AtomicInteger();
    /** What each connection has received so far (live: read while connections are open). */
    final List<ByteArrayOutputStream> transcripts = new CopyOnWriteArrayList<>();
    /**
     * Command prefix (upper case, e.g. "RCPT TO:<B@") to the reply it gets; "" means no reply ever,
     * {@link #CLOSE} that the connection is closed instead of a reply ("DATA-CONTENT": at the
     * first line of content).
     */
    final Map<String, String> replies = new ConcurrentHashMap<>();
    volatile String greeting = "220 peer.example.test ESMTP scripted";
    volatile List<String> keywords = List.of("PIPELINING", "8BITMIME", "SIZE 1000000", "ENHANCEDSTATUSCODES");
    /** Replies to MAIL only once DATA has arrived: a client that does not pipeline waits forever. */
    volatile boolean requirePipelining;
    /** When set, STARTTLS starts TLS with this server context (announce it in {@link #keywords}). */
    volatile javax.net.ssl.SSLContext tls;
    /** The EHLO keywords inside TLS (null: the same as {@link #keywords}). */
    volatile List<String> keywordsInTls;

    /** A server TLS context for {@link #tls} with the given certificate. */
    static javax.net.ssl.SSLContext serverTls(io.netty.handler.ssl.util.SelfSignedCertificate certificate) throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "changeit".toCharArray();
        store.setKeyEntry("key", certificate.key(), password, new java.security.cert.Certificate[] {certificate.cert()});
        javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    static final String CLOSE = "(close)";

    ScriptedServer() throws IOException {
        this(0);
    }

    /** Listens on 127.0.0.1:{@code port} (0: a free one). */
    ScriptedServer(int port) throws IOException {
        socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 50);
        threads.execute(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    connections.incrementAndGet();
                    maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                    threads.execute(() -> serve(client));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return socket.getLocalPort();
    }

    String allReceived() {
        StringBuilder all = new StringBuilder();
        transcripts.forEach(t -> all.append(t.toString(StandardCharsets.ISO_8859_1)));
        return all.toString();
    }

    private void serve(Socket client) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        transcripts.add(received);
        Socket socket = client;
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            boolean inTls = false;
            write(out, greeting);
            boolean inData = false;
            List<String> heldForPipelining = new java.util.ArrayList<>();
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                received.write(b);
                line.append((char) b);
                if (b != '\n') {
                    continue;
                }
                String text = line.toString();
                line.setLength(0);
                if (inData) {
                    if (CLOSE.equals(replies.get("DATA-CONTENT"))) {
                        throw new IOException("closed during the content as scripted");
                    }
                    if (text.equals(".\r\n")) {
                        inData = false;
                        reply(out, "DATA-END", "250 2.0.0 Ok: queued as SCRIPTED");
                    }
                    continue;
                }
                String command = text.trim().toUpperCase();
                if (command.equals("STARTTLS") && tls != null && !inTls) {
                    write(out, "220 2.0.0 Ready to start TLS");
                    javax.net.ssl.SSLSocket secured = (javax.net.ssl.SSLSocket) tls.getSocketFactory()
                            .createSocket(socket, null, true);
                    secured.setUseClientMode(false);
                    secured.startHandshake();
                    socket = secured;
                    in = secured.getInputStream();
                    out = secured.getOutputStream();
                    inTls = true;
                    continue;
                }
                if (command.startsWith("EHLO")) {
                    List<String> keywords = inTls && keywordsInTls != null ? keywordsInTls : this.keywords;
                    StringBuilder ehlo = new StringBuilder("250-peer.example.test");
                    for (int i = 0; i < keywords.size(); i++) {
                        ehlo.append("\r\n250").append(i == keywords.size() - 1 ? ' ' : '-').append(keywords.get(i));
                    }
                    reply(out, command, keywords.isEmpty() ? "250 peer.example.test" : ehlo.toString());
                } else if (command.startsWith("MAIL")) {
                    if (requirePipelining) {
                        heldForPipelining.add("250 2.1.0 Ok");
                    } else {
                        reply(out, command, "250 2.1.0 Ok");
                    }
                } else if (command.startsWith("RCPT")) {
                    if (requirePipelining) {
                        heldForPipelining.add(scripted(command, "250 2.1.5 Ok"));
                    } else {
                        reply(out, command, "250 2.1.5 Ok");
                    }
                } else if (command.equals("DATA")) {
                    for (String held : heldForPipelining) {
                        write(out, held);
                    }
                    heldForPipelining.clear();
                    String answer = scripted(command, "354 go ahead");
                    write(out, answer);
                    inData = answer.startsWith("354");
                } else if (command.equals("QUIT")) {
                    write(out, "221 2.0.0 Bye");
                    break;
                } else {
                    reply(out, command, "250 2.0.0 Ok");
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            open.decrementAndGet();
        }
    }

    private String scripted(String command, String fallback) {
        for (Map.Entry<String, String> entry : replies.entrySet()) {
            if (command.startsWith(entry.getKey())) {
                return entry.getValue();
            }
        }
        return fallback;
    }

    private void reply(OutputStream out, String command, String fallback) throws IOException {
        String answer = scripted(command, fallback);
        if (answer.equals(CLOSE)) {
            throw new IOException("closed as scripted");
        }
        if (!answer.isEmpty()) {
            write(out, answer);
        }
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        threads.shutdownNow();
    }
}
