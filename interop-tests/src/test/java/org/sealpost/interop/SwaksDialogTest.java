package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.Peers;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpSink;
import org.sealpost.interop.support.Tls;

/** swaks -> sealpost mx listener (STARTTLS) -> route for the local domain -> smtp-sink */
class SwaksDialogTest {

    @TempDir
    static Path dir;

    private static SmtpSink sink;
    private static SealpostProcess sealpost;
    private static int mx;

    /** What swaks printed, and how it exited. */
    private record Dialog(int status, String transcript) {
    }

    @BeforeAll
    static void start() throws Exception {
        Peers.require("swaks", "/usr/bin/swaks");
        sink = new SmtpSink(dir, "127.0.0.1");
        Path tls = dir.resolve("tls");
        Files.createDirectories(tls);
        Tls.selfSigned(tls, "mx.local.interop.test");
        mx = Loopback.freePort("127.0.0.1");
        Map<String, String> config = new LinkedHashMap<>();
        config.put("hostname", "mx.local.interop.test");
        config.put("queue_directory", dir.resolve("queue").toString());
        config.put("tls_cert_file", tls.resolve("cert.pem").toString());
        config.put("tls_key_file", tls.resolve("key.pem").toString());
        config.put("local_domains", "local.interop.test");
        config.put("listeners", "mx");
        config.put("listener.mx.role", "mx");
        config.put("listener.mx.address", "127.0.0.1:" + mx);
        // The sender's domain is in no DNS this test serves: DMARC is reported, never enforced, here.
        config.put("listener.mx.dmarc_policy", "report");
        config.put("route.local.interop.test", "[127.0.0.1]:" + sink.port);
        config.put("message_size_limit", "20k");
        sealpost = new SealpostProcess(dir.resolve("sealpost"), config).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (sealpost != null) {
            sealpost.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    private static Dialog swaks(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1:" + mx, "--from",
                "alice@elsewhere.interop.test", "--helo", "client.interop.test"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String transcript = new String(process.getInputStream().readAllBytes());
        process.waitFor(60, TimeUnit.SECONDS);
        return new Dialog(process.exitValue(), transcript);
    }

    @Test
    void relayAttempt_isRefusedWith554() throws Exception {
        Dialog dialog = swaks("--to", "victim@elsewhere.interop.test");
        assertNotEquals(0, dialog.status(), dialog.transcript());
        assertTrue(dialog.transcript().contains("<** 554 5.7.1 <victim@elsewhere.interop.test>: Relay access denied"),
                dialog.transcript());
    }

    @Test
    void localRecipient_isAcceptedAndRoutedOnward() throws Exception {
        String token = "swaks-local-" + System.nanoTime();
        Dialog dialog = swaks("--to", "bob@local.interop.test", "--body", token);
        assertEquals(0, dialog.status(), dialog.transcript());
        assertTrue(dialog.transcript().contains("<-  250 2.0.0 Ok: queued as "), dialog.transcript());
        String received = sink.awaitMessage(token, Duration.ofSeconds(30));
        assertTrue(received.contains("by mx.local.interop.test (Sealpost) with ESMTP id"), received);
    }

    @Test
    void starttls_isOfferedAndWorks() throws Exception {
        Dialog dialog = swaks("--to", "bob@local.interop.test", "--tls");
        assertEquals(0, dialog.status(), dialog.transcript());
        assertTrue(dialog.transcript().contains("<-  220 2.0.0 Ready to start TLS"), dialog.transcript());
        assertTrue(dialog.transcript().contains("=== TLS started with cipher TLSv1."), dialog.transcript());
    }

    @Test
    void pipelinedSession_works() throws Exception {
        Dialog dialog = swaks("--to", "bob@local.interop.test", "--pipeline");
        assertEquals(0, dialog.status(), dialog.transcript());
        assertTrue(dialog.transcript().contains("<-  250 2.0.0 Ok: queued as "), dialog.transcript());
    }

    @Test
    void messageOverTheSizeLimit_isRefusedWith552() throws Exception {
        Dialog dialog = swaks("--to", "bob@local.interop.test", "--body", ("y".repeat(70) + "\n").repeat(400));
        assertNotEquals(0, dialog.status(), dialog.transcript());
        assertTrue(dialog.transcript().contains("552 5.3.4"), dialog.transcript());
    }
}
