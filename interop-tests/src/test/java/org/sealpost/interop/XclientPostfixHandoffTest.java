package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * remote MTA at 127.0.0.5 and 127.0.0.6 (SmtpClient) -> sealpost mx (recipient_verification = probe)
 * -> Postfix smtpd with smtpd_authorized_xclient_hosts (virtual maildir for alice only,
 * check_client_access refusing 127.0.0.6): an unknown recipient is refused at Sealpost's RCPT with
 * the reason Postfix gave its probe; a known one is delivered, and Postfix logs and stamps the
 * original client, not Sealpost's loopback address; Postfix's own client check refuses 127.0.0.6 at
 * the hand-off. The Postfix lines are those of docs/postfix.md.
 */
class XclientPostfixHandoffTest {

    private static final String DEST = "dest.test";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void unknownRecipientRefusedAtRcpt_knownDelivered_postfixSeesTheOriginalClient() throws Exception {
        Path maildirs = dir.resolve("maildirs");
        Map<String, String> settings = new LinkedHashMap<>(PostfixInstance.maildirs(maildirs, Map.of(DEST, "dest"),
                10L * 1024 * 1024));
        // docs/postfix.md: the mailboxes Postfix knows; everyone else is "User unknown".
        settings.put("virtual_mailbox_maps", "inline:{ alice@" + DEST + "=dest/ }");
        // Sealpost alone is in mynetworks; the original clients are not, once XCLIENT has named them.
        settings.put("mynetworks", "127.0.0.1/32");
        settings.put("smtpd_client_restrictions", "check_client_access inline:{ {127.0.0.6=REJECT listed by this test} }");
        try (PostfixInstance postfix = new PostfixInstance(dir.resolve("postfix"), "mail.dest.test", "127.0.0.3", settings)
                .smtpdOptions(Map.of("syslog_name", "postfix/sealpost", "smtpd_tls_security_level", "none",
                        "smtpd_authorized_xclient_hosts", "127.0.0.1")).start()) {
            int mx = Loopback.freePort("127.0.0.2");
            Map<String, String> config = new LinkedHashMap<>();
            config.put("hostname", "mx.dest.test");
            config.put("queue_directory", dir.resolve("sealpost/queue").toString());
            config.put("listeners", "mx");
            config.put("listener.mx.role", "mx");
            config.put("listener.mx.address", "127.0.0.2:" + mx);
            // The sender's domain is in no DNS this test serves: DMARC is reported, never enforced, here.
            config.put("listener.mx.dmarc_policy", "report");
            config.put("local_domains", DEST);
            config.put("route." + DEST, "[127.0.0.3]:" + postfix.port);
            try (SealpostProcess sealpost = new SealpostProcess(dir.resolve("sealpost"), config).start()) {
                try (SmtpClient client = new SmtpClient("127.0.0.2", mx, "127.0.0.5")) {
                    String unknown = client.transact("carol@sender.test", "", List.of("bob@" + DEST), message("unknown"));
                    assertTrue(unknown.startsWith("550 5.1.1 <bob@" + DEST + ">: Recipient address rejected: "
                            + "undeliverable address: host 127.0.0.3[127.0.0.3] said: 550 5.1.1 <bob@" + DEST
                            + ">: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO "
                            + "command)"), unknown);
                    String known = client.transact("carol@sender.test", "", List.of("alice@" + DEST), message("known"));
                    assertTrue(known.startsWith("250 2.0.0 Ok: queued as "), known);
                }
                List<Path> delivered = PostfixInstance.awaitMaildir(maildirs, "dest", 1, TIMEOUT);
                assertEquals(1, delivered.size(), "alice's message reached her maildir");
                String received = Files.readString(delivered.get(0), StandardCharsets.UTF_8);
                // Postfix's own Received field names the original client, as XCLIENT told it.
                assertTrue(received.contains("Received: from load.interop.test (unknown [127.0.0.5])"), received);
                String clientLine = postfix.awaitLog(": client=unknown\\[127\\.0\\.0\\.5\\]", TIMEOUT);
                assertTrue(clientLine.contains("client=unknown[127.0.0.5]"), clientLine);
                String forwarded = sealpost.awaitLine("to=<alice@" + DEST + ">.*status=sent", TIMEOUT);
                assertTrue(forwarded.contains("forwarded=xclient (unknown[127.0.0.5]:"), forwarded);
                // The probe itself went as Sealpost, and was refused by Postfix as its log says.
                postfix.awaitLog("NOQUEUE: reject: RCPT from localhost\\[127\\.0\\.0\\.1\\]: 550 5\\.1\\.1 <bob@dest\\.test>",
                        TIMEOUT);

                // Postfix's own client check sees the original client at the hand-off.
                try (SmtpClient client = new SmtpClient("127.0.0.2", mx, "127.0.0.6")) {
                    String accepted = client.transact("dave@sender.test", "", List.of("alice@" + DEST), message("listed"));
                    assertTrue(accepted.startsWith("250 "), accepted);
                }
                String reject = postfix.awaitLog("NOQUEUE: reject: RCPT from unknown\\[127\\.0\\.0\\.6\\]", TIMEOUT);
                assertTrue(reject.contains("554 5.7.1 <unknown[127.0.0.6]>: Client host rejected: listed by this test"),
                        reject);
                sealpost.awaitLine("to=<alice@" + DEST + ">.*forwarded=xclient \\(unknown\\[127\\.0\\.0\\.6\\]:.*"
                        + "status=bounced", TIMEOUT);
            }
        }
    }

    private static byte[] message(String token) {
        return ("From: carol@sender.test\r\nTo: alice@" + DEST + "\r\nSubject: " + token + "\r\nMessage-ID: <" + token
                + "@sender.test>\r\n\r\n" + token + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
