package org.sealpost.transport.queue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's control socket, {@code <queue_directory>/control}: a Unix domain socket through which
 * the queue commands reach the running relay (docs/queue.md, "The control socket"). One request
 * line per connection; the reply is zero or more lines for the command's output and a last line
 * {@code status N MESSAGE}, after which the relay closes the connection.
 */
public final class ControlSocket implements AutoCloseable {

    static final String NAME = "control";
    private static final Logger LOG = LoggerFactory.getLogger(ControlSocket.class);
    private static final int MAX_REQUEST = 64 * 1024;

    private final Path path;
    private final ServerSocketChannel server;
    private final Function<QueueRequest, QueueReply> handler;
    private final Thread acceptor;
    private final UserPrincipal owner;
    private volatile boolean closed;

    private ControlSocket(Path path, ServerSocketChannel server, Function<QueueRequest, QueueReply> handler,
            UserPrincipal owner) {
        this.path = path;
        this.owner = owner;
        this.server = server;
        this.handler = handler;
        this.acceptor = new Thread(this::accept, "queue-control");
        this.acceptor.setDaemon(true);
    }

    /**
     * Listens at {@code <directory>/control}. The caller holds the queue lock, so a socket file found
     * there is a stale one of a relay that ended without removing it, and is replaced. The folder
     * is 0700, so no other user can reach the socket even before its own mode is set to 0600.
     */
    public static ControlSocket open(Path directory, MailQueue queue) throws IOException {
        return open(directory, queue, null);
    }

    /**
     * The same, with {@code sealpost tlsrpt flush} answered by {@code tlsrptFlush}, which sends the
     * TLS reports pending now (docs/tlsrpt.md); null when TLS reporting is off in this relay.
     */
    public static ControlSocket open(Path directory, MailQueue queue, Supplier<QueueReply> tlsrptFlush)
            throws IOException {
        return open(directory, routed(queue::control, tlsrptFlush));
    }

    /** The queue commands to {@code queue}, the tlsrpt one to {@code tlsrptFlush} (null: reporting is off). */
    static Function<QueueRequest, QueueReply> routed(Function<QueueRequest, QueueReply> queue,
            Supplier<QueueReply> tlsrptFlush) {
        return request -> request.verb() != QueueRequest.Verb.TLSRPT ? queue.apply(request)
                : tlsrptFlush != null ? tlsrptFlush.get()
                : QueueReply.failed("TLS reporting is off in the running relay (tlsrpt_from and tlsrpt_organization "
                        + "were not set when it started); set them and restart it (docs/tlsrpt.md)");
    }

    static ControlSocket open(Path directory, Function<QueueRequest, QueueReply> handler) throws IOException {
        Path path = directory.resolve(NAME);
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        UserPrincipal owner;
        try {
            owner = Files.getOwner(path); // the relay's own user, as the system names it
        } catch (IOException | UnsupportedOperationException e) {
            owner = null;
        }
        ControlSocket socket = new ControlSocket(path, server, handler, owner);
        socket.acceptor.start();
        return socket;
    }

    private void accept() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("warning: control socket {}: {}", path, e.getMessage());
                }
                return;
            }
            // One thread per command: a client that sends nothing holds up only itself.
            Thread serving = new Thread(() -> serve(client), "queue-control-client");
            serving.setDaemon(true);
            serving.start();
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            OutputStream out = Channels.newOutputStream(client);
            // The request is read first even from a peer that is refused: closing on unread input
            // would reset the connection, and the peer would never see why.
            String line = readLine(new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                    StandardCharsets.UTF_8)));
            QueueReply reply = permitted(client) ? answer(line) : QueueReply.failed("permission denied: only the user "
                    + "the relay runs as (or root) may use its control socket");
            out.write(encode(reply).getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            LOG.debug("control socket client: {}", e.getMessage());
        }
    }

    private QueueReply answer(String line) {
        if (line == null) {
            return new QueueReply(QueueReply.USAGE, List.of(), "no request line (or one over 64 KiB)");
        }
        QueueRequest request;
        try {
            request = QueueRequest.parse(line);
        } catch (IllegalArgumentException e) {
            return new QueueReply(QueueReply.USAGE, List.of(), e.getMessage());
        }
        if (request.verb() != QueueRequest.Verb.LIST && request.verb() != QueueRequest.Verb.SHOW) {
            LOG.info("queue command: {}", request.line());
        }
        return handler.apply(request);
    }

    /** The peer's user must be the relay's own, or root (SO_PEERCRED): a second check behind the folder's mode. */
    private boolean permitted(SocketChannel client) {
        if (owner == null) {
            return true; // no owners on this file system: the folder's mode is the check
        }
        try {
            UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return peer.user().equals(owner) || peer.user().getName().equals("root");
        } catch (IOException | UnsupportedOperationException e) {
            return true; // no credentials on this system: the folder's mode is the check
        }
    }

    private static String readLine(BufferedReader in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                return line.toString();
            }
            if (line.length() >= MAX_REQUEST) {
                return null;
            }
            line.append((char) c);
        }
        return null;
    }

    /** The reply on the wire: its lines, then "status N MESSAGE" (MESSAGE on one line). */
    static String encode(QueueReply reply) {
        StringBuilder out = new StringBuilder();
        reply.lines().forEach(line -> out.append(line).append('\n'));
        return out.append("status ").append(reply.status()).append(' ')
                .append(reply.message().replace('\n', ' ')).append('\n').toString();
    }

    /** Reads a reply until the relay closes the connection; the last line is the status. */
    static QueueReply decode(BufferedReader in) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) {
            lines.add(line);
        }
        if (lines.isEmpty() || !lines.get(lines.size() - 1).matches("status [0-9]+ .*")) {
            throw new IOException("the relay's reply ended without a status line");
        }
        String status = lines.remove(lines.size() - 1);
        int space = status.indexOf(' ', "status ".length());
        return new QueueReply(Integer.parseInt(status.substring("status ".length(), space)), lines,
                status.substring(space + 1));
    }

    /** Sends one request to the relay listening at {@code <directory>/control}. */
    static QueueReply ask(Path directory, QueueRequest request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(directory.resolve(NAME)))) {
            OutputStream out = Channels.newOutputStream(channel);
            out.write((request.line() + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return decode(new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8)));
        }
    }

    /** Stops listening and removes the socket file (a clean exit leaves none behind). */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("warning: cannot remove the control socket {}: {}", path, e.getMessage());
        }
    }
}
