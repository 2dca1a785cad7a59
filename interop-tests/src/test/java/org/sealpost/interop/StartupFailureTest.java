package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.SealpostCli;
import org.sealpost.interop.support.ShortProcess;
import org.sealpost.interop.support.Tls;

/**
 * sealpost run (port taken / certificate of another key) -> one line on standard error, exit 1:
 * what an operator sees when the relay cannot start, with no stack trace.
 */
class StartupFailureTest {

    @TempDir
    Path dir;

    private ShortProcess.Result run(String... lines) throws Exception {
        Path config = dir.resolve("sealpost.conf");
        Files.write(config, List.of(lines));
        return SealpostCli.run(dir, new byte[0], "run", "--config", config.toString());
    }

    @Test
    void portInUse_isOneLineNamingTheListener_andExitStatus1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ShortProcess.Result result = run("queue_directory = " + dir.resolve("queue"), "listeners = mx",
                    "listener.mx.role = mx", "listener.mx.address = 127.0.0.1:" + taken.getLocalPort(),
                    "local_domains = example.test");
            assertEquals(1, result.status(), result.describe());
            assertEquals("sealpost: listener mx: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": address already in use; stop what uses it or change listener.mx.address\n", result.stderr(),
                    result.describe());
            assertEquals("", result.out(), result.describe());
        }
    }

    @Test
    void certificateOfAnotherKey_isOneLine_andExitStatus1() throws Exception {
        Files.createDirectories(dir.resolve("one"));
        Files.createDirectories(dir.resolve("two"));
        Tls.selfSigned(dir.resolve("one"), "mx.example.test");
        Tls.selfSigned(dir.resolve("two"), "mx.example.test");
        Path cert = dir.resolve("one/cert.pem");
        Path key = dir.resolve("two/key.pem");
        ShortProcess.Result result = run("queue_directory = " + dir.resolve("queue"), "listeners = mx",
                "listener.mx.role = mx", "listener.mx.address = 127.0.0.1:0", "local_domains = example.test",
                "tls_cert_file = " + cert, "tls_key_file = " + key);
        assertEquals(1, result.status(), result.describe());
        assertEquals("sealpost: tls_cert_file " + cert + " does not match tls_key_file " + key
                + ": the certificate's public key is not the key's; make them as a pair with `sealpost tls keygen`\n",
                result.stderr(), result.describe());
    }
}
