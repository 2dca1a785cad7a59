package org.sealpost.interop.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.sealpost.keyexchange.pins.KeySet;
import org.sealpost.keyexchange.pins.XkeysWire;

/**
 * A man in the middle on loopback, between a sending MTA and the host the MX record names: it
 * either removes STARTTLS from the EHLO reply, or terminates TLS with a key of its own and
 * relays the session to the real server over a second TLS connection (optionally advertising and
 * serving a forged XKEYS key set of its own making). It counts what it relayed.
 */
public final class SmtpProxy implements AutoCloseable {

    private enum Attack { STRIP_STARTTLS, TERMINATE_TLS }

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final Attack attack;
    private final SSLContext ownTls;
    private final KeySet forged;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "smtp-proxy");
        thread.setDaemon(true);
        return thread;
    });
    /** Sessions accepted, and messages whose content went through to the real server. */
    public final AtomicInteger sessions = new AtomicInteger();
    public final AtomicInteger messagesRelayed = new AtomicInteger();
    private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private SmtpProxy(String host, int port, InetSocketAddress upstream, Attack attack, SSLContext ownTls, KeySet forged)
            throws IOException {
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        bind(listener, new InetSocketAddress(InetAddress.getByName(host), port));
        this.upstream = upstream;
        this.attack = attack;
        this.ownTls = ownTls;
        this.forged = forged;
        acceptor = new Thread(this::accept, "smtp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Binds, waiting briefly while the address is still held: a listener closed a moment ago
     * (by the receiver that moved, or by an earlier proxy) can keep it until its last thread left.
     */
    private static void bind(ServerSocket socket, InetSocketAddress address) throws IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                socket.bind(address, 50);
                return;
            } catch (java.net.BindException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Relays everything, but the EHLO replies lose their STARTTLS line. */
    public static SmtpProxy stripStarttls(String host, int port, InetSocketAddress upstream) throws IOException {
        return new SmtpProxy(host, port, upstream, Attack.STRIP_STARTTLS, null, null);
    }

    /**
     * Answers STARTTLS itself with the key and certificate in {@code tls} (key.pem, cert.pem),
     * then relays to the real server over TLS. With {@code forged}, EHLO advertises that set's hash
     * and XKEYS returns it, as an attacker who made a set for its own key would.
     */
    public static SmtpProxy terminateTls(String host, int port, InetSocketAddress upstream, Path tls, KeySet forged)
            throws Exception {
        return new SmtpProxy(host, port, upstream, Attack.TERMINATE_TLS, serverContext(tls), forged);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                threads.execute(() -> session(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void session(Socket client) {
        sessions.incrementAndGet();
        open.add(client);
        try (client; Socket server = new Socket(upstream.getAddress(), upstream.getPort())) {
            open.add(server);
            client.setSoTimeout(30_000);
            server.setSoTimeout(30_000);
            Lines c = new Lines(client);
            Lines s = new Lines(server);
            c.writeReply(s.readReply()); // the greeting
            converse(c, s, client, server, false);
        } catch (Exception e) {
            // The sender or the server gave up: that is what the tests look for.
        }
    }

    private void converse(Lines c, Lines s, Socket client, Socket server, boolean tls) throws Exception {
        while (true) {
            String line = c.readLine();
            if (line == null) {
                return;
            }
            String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
            if (attack == Attack.TERMINATE_TLS && !tls && verb.equals("STARTTLS")) {
                c.writeReply(List.of("220 2.0.0 Ready to start TLS"));
                SSLSocket toClient = (SSLSocket) ownTls.getSocketFactory().createSocket(client, null, client.getPort(), false);
                toClient.setUseClientMode(false);
                toClient.startHandshake();
                s.writeLine("STARTTLS");
                if (!s.readReply().get(0).startsWith("220")) {
                    return;
                }
                SSLSocket toServer = (SSLSocket) trustingClientContext().getSocketFactory()
                        .createSocket(server, upstream.getHostString(), upstream.getPort(), false);
                toServer.setUseClientMode(true);
                toServer.startHandshake();
                converse(new Lines(toClient), new Lines(toServer), toClient, toServer, true);
                return;
            }
            if (forged != null && tls && verb.equals(XkeysWire.KEYWORD)) {
                List<String> lines = XkeysWire.replyLines(forged);
                List<String> reply = new ArrayList<>();
                for (int i = 0; i < lines.size(); i++) {
                    reply.add((i == lines.size() - 1 ? "250 " : "250-") + lines.get(i));
                }
                c.writeReply(reply);
                continue;
            }
            s.writeLine(line);
            List<String> reply = s.readReply();
            if (verb.equals("EHLO")) {
                reply = rewriteEhlo(reply, tls);
            }
            c.writeReply(reply);
            if (verb.equals("DATA") && reply.get(0).startsWith("354")) {
                String content;
                do {
                    content = c.readLine();
                    if (content == null) {
                        return;
                    }
                    s.writeLine(content);
                } while (!content.equals("."));
                List<String> done = s.readReply();
                if (done.get(0).startsWith("250")) {
                    messagesRelayed.incrementAndGet();
                }
                c.writeReply(done);
            }
            if (verb.equals("QUIT")) {
                return;
            }
        }
    }

    private List<String> rewriteEhlo(List<String> reply, boolean tls) {
        List<String> kept = new ArrayList<>();
        for (String line : reply) {
            String keyword = line.length() > 4 ? line.substring(4) : "";
            if (attack == Attack.STRIP_STARTTLS && keyword.equalsIgnoreCase("STARTTLS")) {
                continue;
            }
            if (forged != null && tls && keyword.toUpperCase(Locale.ROOT).startsWith(XkeysWire.KEYWORD + " ")) {
                kept.add(line.substring(0, 4) + XkeysWire.KEYWORD + " " + XkeysWire.ehloParameter(forged));
                continue;
            }
            kept.add(line);
        }
        // The continuation marks follow the lines that are left: "250-" all but the last.
        List<String> renumbered = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            String line = kept.get(i);
            renumbered.add(line.substring(0, 3) + (i == kept.size() - 1 ? " " : "-") + (line.length() > 4 ? line.substring(4) : ""));
        }
        return renumbered;
    }

    /** CRLF lines over a socket, read octet by octet (so nothing is buffered past a STARTTLS). */
    private static final class Lines {
        private final InputStream in;
        private final OutputStream out;

        Lines(Socket socket) throws IOException {
            this.in = socket instanceof SSLSocket ? new BufferedInputStream(socket.getInputStream()) : socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.write(b);
            }
            if (b < 0 && line.size() == 0) {
                return null;
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }

        List<String> readReply() throws IOException {
            List<String> reply = new ArrayList<>();
            String line;
            do {
                line = readLine();
                if (line == null) {
                    throw new IOException("connection closed");
                }
                reply.add(line);
            } while (line.length() > 3 && line.charAt(3) == '-');
            return reply;
        }

        void writeLine(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void writeReply(List<String> reply) throws IOException {
            StringBuilder text = new StringBuilder();
            reply.forEach(line -> text.append(line).append("\r\n"));
            out.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    private static SSLContext serverContext(Path tls) throws Exception {
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(tls.resolve("cert.pem"))) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        String pem = Files.readString(tls.resolve("key.pem"));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("proxy", key, new char[0], new Certificate[] {certificate});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static SSLContext trustingClientContext() throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, null);
        return context;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (Socket socket : open) {
            socket.close();
        }
        threads.shutdownNow();
        try {
            // The address is free only once the accepting thread has left the closed socket.
            acceptor.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
