package org.sealpost.transport.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.unix.Errors;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.smtp.server.ListenerRole;

class ListenFailureTest {

    @TempDir
    Path dir;

    private Config config(String queue, String address) throws Exception {
        return Config.parse(dir.resolve("sealpost.conf"), List.of("hostname = mx.example.test", "queue_directory = " + queue,
                "listeners = mx", "listener.mx.role = mx", "listener.mx.address = " + address, "local_domains = example.test"));
    }

    @Test
    void portInUse_namesTheListenerTheAddressAndWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Config config = config(dir.resolve("queue").toString(), "127.0.0.1:" + taken.getLocalPort());
            String message = assertThrows(StartupFailure.class, () -> Relay.start(config).close()).getMessage();
            assertEquals("listener mx: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use; stop what uses it or change listener.mx.address", message);
        }
    }

    @Test
    void privilegedPortWithoutTheCapability_saysWhatIsNeeded() {
        Config.Listener mx = new Config.Listener("mx", ListenerRole.MX, new InetSocketAddress("0.0.0.0", 25), true);
        StartupFailure failure = ListenFailure.of(mx, new Errors.NativeIoException("bind(..) failed", -13));
        assertEquals("listener mx: cannot listen on 0.0.0.0:25: permission denied; a port below 1024 needs root or the "
                + "capability CAP_NET_BIND_SERVICE (docs/operations.md), or change listener.mx.address", failure.getMessage());
        StartupFailure nio = ListenFailure.of(mx, new java.net.BindException("Permission denied"));
        assertEquals(failure.getMessage(), nio.getMessage());
    }

    @Test
    void addressOfNoInterface_saysSo() {
        Config.Listener mx = new Config.Listener("mx", ListenerRole.MX, new InetSocketAddress("::1", 25), true);
        assertEquals("listener mx: cannot listen on [0:0:0:0:0:0:0:1]:25: no interface of this host has that address; change "
                + "listener.mx.address", ListenFailure.of(mx, new Errors.NativeIoException("bind(..) failed", -99)).getMessage());
    }

    @Test
    void queueDirectoryThatIsAFile_isAStartupFailureNamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        String message = assertThrows(StartupFailure.class, () -> Relay.start(config(file.toString(), "127.0.0.1:0")).close())
                .getMessage();
        assertTrue(message.contains(file.toString()) && message.contains("queue_directory " + file), message);
        assertTrue(!message.contains("Exception"), message);
    }
}
