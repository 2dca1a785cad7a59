package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.PostfixInstance;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpClient;
import org.sealpost.interop.support.SmtpSink;
import org.sealpost.interop.support.Tls;

/**
 * postfix sendmail -> postfix (smtp_tls_security_level = encrypt) -> sealpost MX (STARTTLS, XKEYS) -> smtp-sink;
 * client -> sealpost (pins enforce) -> STARTTLS -> postfix smtpd -> smtp-sink: Postfix on either side
 * goes on as before, and nothing is pinned from a host without the keyword.
 */
class XkeysPostfixPeersTest {

    @TempDir
    Path dir;

    @Test
    void postfixSendingToSealpost_ignoresTheKeyword() throws Exception {
        Path tls = dir.resolve("tls");
        Files.createDirectories(tls);
        Tls.selfSigned(tls, "mx.xk.interop.test");
        int mx = Loopback.freePort("127.0.0.2");
        try (SmtpSink sink = new SmtpSink(dir, "127.0.0.1")) {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("hostname", "mx.xk.interop.test");
            config.put("queue_directory", dir.resolve("sealpost/queue").toString());
            config.put("listeners", "mx");
            config.put("listener.mx.role", "mx");
            config.put("listener.mx.address", "127.0.0.2:" + mx);
            // The sender's domain is in no DNS this test serves: DMARC is reported, never enforced, here.
            config.put("listener.mx.dmarc_policy", "report");
            config.put("tls_cert_file", tls.resolve("cert.pem").toString());
            config.put("tls_key_file", tls.resolve("key.pem").toString());
            config.put("local_domains", "xk.interop.test");
            config.put("route.xk.interop.test", "[127.0.0.1]:" + sink.port);
            Map<String, String> postfixSettings = new LinkedHashMap<>();
            postfixSettings.put("relayhost", "[127.0.0.2]:" + mx);
            postfixSettings.put("smtp_tls_security_level", "encrypt");
            postfixSettings.put("smtp_tls_loglevel", "1");
            try (SealpostProcess sealpost = new SealpostProcess(dir.resolve("sealpost"), config).start();
                    PostfixInstance postfix = new PostfixInstance(dir.resolve("postfix"), "postfix.interop.test", "127.0.0.3",
                            postfixSettings).start()) {
                String token = "postfix-to-xkeys-" + System.nanoTime();
                postfix.sendmail("alice@postfix.interop.test", "bob@xk.interop.test",
                        "From: alice@postfix.interop.test\nTo: bob@xk.interop.test\nSubject: xkeys\n\n" + token + "\n");
                String sent = postfix.awaitLog("to=<bob@xk.interop.test>.*status=sent", Duration.ofSeconds(30));
                assertTrue(sent.contains("relay=127.0.0.2[127.0.0.2]:" + mx), sent);
                postfix.awaitLog("TLS connection established to 127.0.0.2\\[127.0.0.2\\]:" + mx, Duration.ofSeconds(5));
                sink.awaitMessage(token, Duration.ofSeconds(30));
                assertFalse(postfix.log().contains("warning"), postfix.log());
                assertEquals(0, sealpost.count("xkeys: key set .* sent to"), "Postfix sent XKEYS");
                assertTrue(sealpost.output().contains("starttls=1"), sealpost.output());
            }
        }
    }

    @Test
    void sealpostSendingToPostfix_pinsNothing_andDeliversAsBefore() throws Exception {
        Path tls = dir.resolve("tls");
        Files.createDirectories(tls);
        Tls.selfSigned(tls, "mx.pf.interop.test");
        int submission = Loopback.freePort("127.0.0.1");
        try (SmtpSink sink = new SmtpSink(dir, "127.0.0.1")) {
            Map<String, String> postfixSettings = PostfixInstance.starttlsRelay("pf.interop.test", sink.port,
                    tls.resolve("cert.pem"), tls.resolve("key.pem"));
            try (PostfixInstance postfix = new PostfixInstance(dir.resolve("postfix"), "mx.pf.interop.test", "127.0.0.3",
                    postfixSettings).start()) {
                Map<String, String> config = SealpostProcess.submissionRelay("relay.interop.test",
                        dir.resolve("sealpost/queue"), submission);
                config.put("route.pf.interop.test", "[127.0.0.3]:" + postfix.port);
                config.put("xkeys_pins", "enforce");
                config.put("messages_per_connection", "1");
                try (SealpostProcess sealpost = new SealpostProcess(dir.resolve("sealpost"), config).start()) {
                    for (int i = 0; i < 2; i++) {
                        try (SmtpClient client = new SmtpClient("127.0.0.1", submission)) {
                            client.send("alice@src.test", "bob@pf.interop.test", "Subject: to postfix\r\n\r\npf-token-" + i);
                        }
                        sink.awaitMessage("pf-token-" + i, Duration.ofSeconds(30));
                    }
                    assertEquals(2, sealpost.count("to=<bob@pf.interop.test>.*tls=TLSv1.*status=sent"), sealpost.output());
                    assertEquals(0, sealpost.count("xkeys:"), sealpost.output());
                    assertFalse(postfix.log().contains("XKEYS"), postfix.log());
                }
            }
        }
    }
}
