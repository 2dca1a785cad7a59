package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.PostfixInstance;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpClient;

/**
 * remote MTA at 127.0.0.5 (SmtpClient) -> sealpost mx (recipient_verification = file) -> Postfix
 * smtpd with smtpd_authorized_xforward_hosts only (virtual maildir): a recipient outside
 * recipient_file is refused at RCPT without asking Postfix; a listed one is delivered, sent with
 * XFORWARD, so that Postfix's log names the original client and Sealpost's queue id.
 */
class XforwardPostfixHandoffTest {

    private static final String DEST = "dest.test";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void unlistedRecipientRefusedAtRcpt_listedDelivered_postfixLogsTheOriginalClient() throws Exception {
        Path maildirs = dir.resolve("maildirs");
        Map<String, String> settings = new LinkedHashMap<>(PostfixInstance.maildirs(maildirs, Map.of(DEST, "dest"),
                10L * 1024 * 1024));
        try (PostfixInstance postfix = new PostfixInstance(dir.resolve("postfix"), "mail.dest.test", "127.0.0.3", settings)
                .smtpdOptions(Map.of("syslog_name", "postfix/sealpost", "smtpd_tls_security_level", "none",
                        "smtpd_authorized_xforward_hosts", "127.0.0.1")).start()) {
            Path recipients = dir.resolve("recipients");
            Files.writeString(recipients, "# docs/postfix.md: who takes mail at " + DEST + "\nalice@" + DEST + "\n");
            int mx = Loopback.freePort("127.0.0.2");
            Map<String, String> config = new LinkedHashMap<>();
            config.put("hostname", "mx.dest.test");
            config.put("queue_directory", dir.resolve("sealpost/queue").toString());
            config.put("listeners", "mx");
            config.put("listener.mx.role", "mx");
            config.put("listener.mx.address", "127.0.0.2:" + mx);
            config.put("listener.mx.dmarc_policy", "report");
            config.put("local_domains", DEST);
            config.put("route." + DEST, "[127.0.0.3]:" + postfix.port);
            config.put("recipient_verification", "file");
            config.put("recipient_file", recipients.toString());
            try (SealpostProcess sealpost = new SealpostProcess(dir.resolve("sealpost"), config).start()) {
                String queueId;
                try (SmtpClient client = new SmtpClient("127.0.0.2", mx, "127.0.0.5")) {
                    String unlisted = client.transact("carol@sender.test", "", List.of("bob@" + DEST), message("unlisted"));
                    assertEquals("550 5.1.1 <bob@" + DEST + ">: Recipient address rejected: User unknown in relay "
                            + "recipient table", unlisted);
                    String listed = client.transact("carol@sender.test", "", List.of("alice@" + DEST), message("listed"));
                    assertTrue(listed.startsWith("250 2.0.0 Ok: queued as "), listed);
                    queueId = listed.substring("250 2.0.0 Ok: queued as ".length()).trim();
                }
                List<Path> delivered = PostfixInstance.awaitMaildir(maildirs, "dest", 1, TIMEOUT);
                assertEquals(1, delivered.size(), "alice's message reached her maildir");
                // XFORWARD changes what Postfix logs, not whom it checks: the session stays Sealpost's.
                String clientLine = postfix.awaitLog(": client=localhost\\[127\\.0\\.0\\.1\\], orig_queue_id=", TIMEOUT);
                assertTrue(clientLine.contains("orig_queue_id=" + queueId) && clientLine.contains("orig_client=unknown[127.0.0.5]"),
                        clientLine);
                String forwarded = sealpost.awaitLine("to=<alice@" + DEST + ">.*status=sent", TIMEOUT);
                assertTrue(forwarded.contains("forwarded=xforward (unknown[127.0.0.5]:"), forwarded);
                assertFalse(postfix.log().contains("bob@" + DEST), "the unlisted recipient never reached Postfix");
            }
        }
    }

    private static byte[] message(String token) {
        return ("From: carol@sender.test\r\nTo: alice@" + DEST + "\r\nSubject: " + token + "\r\nMessage-ID: <" + token
                + "@sender.test>\r\n\r\n" + token + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
