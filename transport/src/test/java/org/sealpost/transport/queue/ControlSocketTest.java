package org.sealpost.transport.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlSocketTest {

    @TempDir
    Path dir;

    @Test
    void reply_survivesTheWire_withItsStatusLast() throws Exception {
        QueueReply reply = new QueueReply(1, List.of("000660DCB9AD6F0D: held", "status 0 looks like a status"),
                "no message 000660DCB9AD6F0E in the queue");
        assertEquals(reply, ControlSocket.decode(new BufferedReader(new StringReader(ControlSocket.encode(reply)))));
    }

    @Test
    void request_reachesTheHandler_andTheReplyComesBack_overAStaleSocketFile() throws Exception {
        Files.writeString(dir.resolve("control"), "left by a relay that was killed");
        AtomicReference<QueueRequest> seen = new AtomicReference<>();
        try (ControlSocket socket = ControlSocket.open(dir, request -> {
            seen.set(request);
            return new QueueReply(0, List.of("000660DCB9AD6F0D: held"), "");
        })) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("control"))));
            QueueReply reply = ControlSocket.ask(dir, QueueRequest.of(QueueRequest.Verb.HOLD, List.of("000660DCB9AD6F0D")));
            assertEquals(new QueueReply(0, List.of("000660DCB9AD6F0D: held"), ""), reply);
            assertEquals(QueueRequest.of(QueueRequest.Verb.HOLD, List.of("000660DCB9AD6F0D")), seen.get());
        }
        assertTrue(Files.notExists(dir.resolve("control")), "the socket file stays after close");
    }

    @Test
    void tlsrptFlush_goesToTheReports_andTheQueueCommandsToTheQueue() throws Exception {
        try (ControlSocket socket = ControlSocket.open(dir, ControlSocket.routed(
                request -> new QueueReply(0, List.of("queue: " + request.line()), ""),
                () -> new QueueReply(0, List.of("tlsrpt: nothing to report"), "")))) {
            assertEquals(new QueueReply(0, List.of("tlsrpt: nothing to report"), ""),
                    ControlSocket.ask(dir, QueueRequest.tlsrptFlush()));
            assertEquals(new QueueReply(0, List.of("queue: flush"), ""),
                    ControlSocket.ask(dir, QueueRequest.of(QueueRequest.Verb.FLUSH, List.of())));
        }
    }

    @Test
    void tlsrptFlush_withReportingOff_saysHowToTurnItOn() throws Exception {
        try (ControlSocket socket = ControlSocket.open(dir, ControlSocket.routed(
                request -> new QueueReply(0, List.of(), ""), null))) {
            QueueReply reply = ControlSocket.ask(dir, QueueRequest.tlsrptFlush());
            assertEquals(QueueReply.FAILED, reply.status());
            assertTrue(reply.message().startsWith("TLS reporting is off in the running relay (tlsrpt_from and "
                    + "tlsrpt_organization were not set when it started)"), reply.message());
        }
    }

    @Test
    void anotherUser_isRefused_evenWhereTheModesWouldLetItIn() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("user.name").equals("root")
                && Files.isExecutable(Path.of("/usr/bin/setpriv")) && Files.isExecutable(Path.of("/usr/bin/python3")),
                "needs root, setpriv (util-linux) and /usr/bin/python3 to connect as another user");
        Path open = Files.createTempDirectory(Path.of("/tmp"), "control-socket-test");
        try {
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
            try (ControlSocket socket = ControlSocket.open(open, request -> new QueueReply(0, List.of("secret"), ""))) {
                Files.setPosixFilePermissions(open.resolve("control"), PosixFilePermissions.fromString("rw-rw-rw-"));
                Process client = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        "/usr/bin/python3", "-c", "import socket, sys\n"
                        + "s = socket.socket(socket.AF_UNIX)\ns.connect(sys.argv[1])\ns.sendall(b'list\\n')\n"
                        + "print(s.makefile().read(), end='')", open.resolve("control").toString())
                        .redirectErrorStream(true).start();
                String reply = new String(client.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertEquals(0, client.waitFor(), reply);
                assertTrue(reply.startsWith("status 1 permission denied: only the user the relay runs as"), reply);
            }
        } finally {
            Files.deleteIfExists(open.resolve("control"));
            Files.delete(open);
        }
    }

    @Test
    void badRequestLine_getsStatus2_withTheUsage() throws Exception {
        try (ControlSocket socket = ControlSocket.open(dir, request -> new QueueReply(0, List.of(), ""));
                java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open(
                        java.net.UnixDomainSocketAddress.of(dir.resolve("control")))) {
            channel.write(java.nio.ByteBuffer.wrap("show\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            QueueReply reply = ControlSocket.decode(new BufferedReader(new java.io.InputStreamReader(
                    java.nio.channels.Channels.newInputStream(channel), java.nio.charset.StandardCharsets.UTF_8)));
            assertEquals(2, reply.status());
            assertTrue(reply.message().contains("usage: show ID"), reply.message());
        }
    }
}
