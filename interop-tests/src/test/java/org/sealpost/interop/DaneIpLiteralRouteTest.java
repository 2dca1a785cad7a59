package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpClient;
import org.sealpost.interop.support.SmtpSink;

/**
 * client -> sealpost submission (tls_default_level = dane, DNS unreachable) -> route [127.0.0.1]:PORT -> smtp-sink
 *
 * <p>The README's hand-off to Postfix at level dane: the IP-literal next hop is never looked up in
 * DNS and gets opportunistic STARTTLS; under dane-only it is deferred with what to configure.
 */
class DaneIpLiteralRouteTest {

    @TempDir
    Path dir;

    @Test
    void ipLiteralRoute_underDane_isDelivered_andUnderDaneOnly_deferredWithWhatToDo() throws Exception {
        int submission = Loopback.freePort("127.0.0.1");
        int noDns = Loopback.freePort("127.0.0.1");
        try (SmtpSink sink = new SmtpSink(dir, "127.0.0.1");
                SealpostProcess sealpost = new SealpostProcess(dir.resolve("sealpost"), Map.of(
                        "hostname", "relay.interop.test",
                        "queue_directory", dir.resolve("sealpost/queue").toString(),
                        "listeners", "submission",
                        "listener.submission.role", "submission",
                        "listener.submission.address", "127.0.0.1:" + submission,
                        "dns_resolvers", "127.0.0.1:" + noDns,
                        "tls_default_level", "dane",
                        "route.local.interop.test", "[127.0.0.1]:" + sink.port,
                        "route.strict.interop.test", "[127.0.0.1]:" + sink.port,
                        "tls_policy.strict.interop.test", "dane-only")).start();
                SmtpClient client = new SmtpClient("127.0.0.1", submission)) {
            String token = "dane-literal-" + System.nanoTime();
            assertTrue(client.send("alice@relay.interop.test", "bob@local.interop.test",
                    "Subject: to the hand-off\r\n\r\n" + token).startsWith("250"));
            assertTrue(client.send("alice@relay.interop.test", "carol@strict.interop.test",
                    "Subject: dane-only\r\n\r\nnot for an IP literal").startsWith("250"));

            sink.awaitMessage(token, Duration.ofSeconds(30));
            String sent = sealpost.awaitLine("to=<bob@local.interop.test>.*status=sent", Duration.ofSeconds(30));
            assertTrue(sent.contains("relay=127.0.0.1[127.0.0.1]:" + sink.port), sent);
            String deferred = sealpost.awaitLine("to=<carol@strict.interop.test>.*status=deferred", Duration.ofSeconds(30));
            assertTrue(deferred.contains("dsn=4.7.5, status=deferred (dane-only: no DANE is possible for the IP-literal "
                    + "next hop [127.0.0.1]:" + sink.port + "; set tls_policy.strict.interop.test to the level this hop "
                    + "should have)"), deferred);
            assertEquals(0, sealpost.count("address lookup of 127\\.0\\.0\\.1|name=127\\.0\\.0\\.1"), sealpost.output());
        }
    }
}
