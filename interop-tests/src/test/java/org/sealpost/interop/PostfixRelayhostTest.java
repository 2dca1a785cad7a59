package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.PostfixInstance;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpSink;

/** postfix sendmail -> postfix (relayhost) -> sealpost submission -> smtp-sink */
class PostfixRelayhostTest {

    @TempDir
    Path dir;

    @Test
    void mailFromPostfixsSendmail_goesThroughSealpost_toTheSink() throws Exception {
        int submission = Loopback.freePort("127.0.0.1");
        try (SmtpSink sink = new SmtpSink(dir, "127.0.0.1");
                SealpostProcess sealpost = new SealpostProcess(dir.resolve("sealpost"), Map.of(
                        "hostname", "relay.interop.test",
                        "queue_directory", dir.resolve("sealpost/queue").toString(),
                        "listeners", "submission",
                        "listener.submission.role", "submission",
                        "listener.submission.address", "127.0.0.1:" + submission,
                        "relayhost", "[127.0.0.1]:" + sink.port)).start();
                PostfixInstance postfix = new PostfixInstance(dir.resolve("postfix"), "postfix.interop.test", "127.0.0.2",
                        Map.of("relayhost", "[127.0.0.1]:" + submission)).start()) {
            String token = "relayhost-token-" + System.nanoTime();
            postfix.sendmail("alice@postfix.interop.test", "bob@remote.interop.test",
                    "From: Alice <alice@postfix.interop.test>\nTo: bob@remote.interop.test\nSubject: via relayhost\n\n"
                            + token + "\n");

            String sent = postfix.awaitLog("status=sent", Duration.ofSeconds(30));
            assertTrue(sent.contains("relay=127.0.0.1[127.0.0.1]:" + submission), sent);
            sealpost.awaitLine("to=<bob@remote.interop.test>, relay=127.0.0.1\\[127.0.0.1\\]:" + sink.port
                    + ".*status=sent", Duration.ofSeconds(30));
            String received = sink.awaitMessage(token, Duration.ofSeconds(30));
            assertTrue(received.contains("Subject: via relayhost"), received);
            assertTrue(received.contains("by relay.interop.test (Sealpost) with ESMTP id"), received);
            assertTrue(received.contains("by postfix.interop.test (Postfix"), received);
        }
    }
}
