package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.Peers;
import org.sealpost.interop.support.PostfixInstance;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpClient;
import org.sealpost.interop.support.SmtpSink;
import org.sealpost.interop.support.Tls;

/**
 * remote MTA (SmtpClient, swaks over STARTTLS) -> sealpost mx listener -> postfix smtpd (percent hack,
 * bang paths, Sealpost in mynetworks) -> smtp-sink for local.test | smtp-sink for everything else
 *
 * <p>The Postfix behind keeps its relay-prone defaults, so every recipient form it would re-route
 * must be refused by Sealpost at RCPT, and nothing may ever reach the sink for other domains.
 */
class MxAddressBatteryTest {

    @TempDir
    Path dir;

    /** Recipient forms the Postfix behind would relay elsewhere, or that name no local mailbox: 554 5.7.1. */
    private static final List<String> RELAY_FORMS = List.of(
            "u@other.test",
            "u%other.test@local.test",
            "U%OTHER.TEST@LOCAL.TEST",
            "u%a%other.test@local.test",
            "other.test!u@local.test",
            "\"u@other.test\"@local.test",
            "\"u%other.test\"@local.test",
            "\"other.test!u\"@local.test",
            "\"u@other.test\"",
            "u%other.test@[127.0.0.1]",
            "other.test!u@[127.0.0.1]",
            "u@[127.0.0.1]",
            "u@[127.0.0.3]");

    /** Not a mailbox (RFC 5321 4.1.2): 501 5.1.3 at RCPT, never accepted and bounced later. */
    private static final List<String> BAD_SYNTAX = List.of(
            "u@other.test.",
            "u@other.test@local.test",
            "u\\@other.test@local.test",
            "u@local.test.",
            "u%other.test@local.test.");

    /**
     * The legitimate forms, each with the address it must reach the mailbox behind Postfix as. Postfix
     * drops quotes that are not needed: {@code "john.doe"} and {@code john.doe} are one mailbox (RFC 5321 4.1.2).
     */
    private static final Map<String, String> LEGITIMATE = new LinkedHashMap<>(Map.of(
            "U@LOCAL.TEST", "U@LOCAL.TEST",
            "Postmaster@local.test", "Postmaster@local.test",
            "u+tag@local.test", "u+tag@local.test",
            "\"john doe\"@local.test", "\"john doe\"@local.test",
            "\"john.doe\"@Local.Test", "john.doe@Local.Test"));

    @Test
    void relayForms_areRefusedAtRcpt_nothingReachesOtherDomains_andLegitimateFormsArriveIntact() throws Exception {
        // smtp-sink runs as nobody, Postfix's daemons as postfix: both must reach their folders below.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path tls = dir.resolve("tls");
        Files.createDirectories(tls);
        Tls.selfSigned(tls, "mx.local.test");
        int mx = Loopback.freePort("127.0.0.2");
        try (SmtpSink local = new SmtpSink(dir.resolve("local"), "127.0.0.1");
                SmtpSink other = new SmtpSink(dir.resolve("other"), "127.0.0.1");
                PostfixInstance postfix = postfix(local.port, other.port);
                SealpostProcess sealpost = sealpost(mx, postfix.port)) {
            relayThroughPostfixDirectly_reachesTheOtherSink(postfix, other);

            String token = "battery-" + System.nanoTime();
            try (SmtpClient client = new SmtpClient("127.0.0.2", mx)) {
                assertTrue(client.ask("MAIL FROM:<attacker@remote.test>").startsWith("250"));
                List<String> wrong = new ArrayList<>();
                for (String address : RELAY_FORMS) {
                    String reply = client.ask("RCPT TO:<" + address + ">");
                    if (!reply.equals("554 5.7.1 <" + address + ">: Relay access denied")) {
                        wrong.add(address + " -> " + reply);
                    }
                }
                // RFC 5321 4.1.1.3: the route is ignored; what remains is judged, and it is not local.
                String routed = client.ask("RCPT TO:<@local.test:u@other.test>");
                if (!routed.equals("554 5.7.1 <u@other.test>: Relay access denied")) {
                    wrong.add("@local.test:u@other.test -> " + routed);
                }
                for (String address : BAD_SYNTAX) {
                    String reply = client.ask("RCPT TO:<" + address + ">");
                    if (!reply.startsWith("501 5.1.3 ")) {
                        wrong.add(address + " -> " + reply);
                    }
                }
                for (String address : LEGITIMATE.keySet()) {
                    String reply = client.ask("RCPT TO:<" + address + ">");
                    if (!reply.startsWith("250 2.1.5 ")) {
                        wrong.add(address + " -> " + reply);
                    }
                }
                assertEquals(List.of(), wrong, "recipients answered wrongly");
                assertTrue(client.ask("DATA").startsWith("354"));
                assertTrue(client.content("From: attacker@remote.test\r\nSubject: battery\r\n\r\n" + token).startsWith("250"));

                // RFC 5321 4.5.1: the bare Postmaster, in a transaction of its own (so that duplicate
                // elimination cannot fold it into Postmaster@local.test above).
                assertTrue(client.ask("MAIL FROM:<attacker@remote.test>").startsWith("250"));
                assertTrue(client.ask("RCPT TO:<postmaster>").startsWith("250 2.1.5 "));
                assertTrue(client.ask("DATA").startsWith("354"));
                assertTrue(client.content("Subject: to the postmaster\r\n\r\n" + token + "-postmaster").startsWith("250"));
            }
            assertEquals(7, starttlsRefusals(mx), "swaks over STARTTLS");

            Set<String> expected = new TreeSet<>(LEGITIMATE.values());
            expected.add("postmaster@local.test");
            assertEquals(expected, awaitRecipients(local, token, expected.size()), "mailboxes behind Postfix");
            awaitEmptyQueue(postfix);
            List<String> leaked = other.messages().stream().filter(m -> m.contains(token)).toList();
            assertEquals(List.of(), leaked, "mail reached another domain through Postfix");
            assertFalse(Pattern.compile("to=<[^>]*other\\.test>").matcher(postfix.log().replaceAll(
                    "(?m)^.*control-.*$", "")).find(), postfix.log());
            assertFalse(sealpost.output().contains("other.test>, relay="), sealpost.output());
        }
    }

    /**
     * The control: the Postfix behind really is relay-prone for a client in its mynetworks, so the
     * refusals above are what keeps the deployment from being an open relay.
     */
    private static void relayThroughPostfixDirectly_reachesTheOtherSink(PostfixInstance postfix, SmtpSink other)
            throws Exception {
        String token = "control-" + System.nanoTime();
        try (SmtpClient client = new SmtpClient("127.0.0.3", postfix.port)) {
            assertTrue(client.ask("MAIL FROM:<control@remote.test>").startsWith("250"));
            assertTrue(client.ask("RCPT TO:<control-u%other.test@local.test>").startsWith("250"));
            assertTrue(client.ask("DATA").startsWith("354"));
            assertTrue(client.content("Subject: control\r\n\r\n" + token).startsWith("250"));
        }
        String relayed = other.awaitMessage(token, Duration.ofSeconds(30));
        assertTrue(relayed.contains("control-u@other.test"), relayed);
    }

    /** Each relay form once more, as a remote MTA inside STARTTLS: the count of 554 5.7.1 refusals. */
    private static int starttlsRefusals(int mx) throws Exception {
        Peers.require("swaks", "/usr/bin/swaks");
        int refused = 0;
        for (String address : List.of("u%other.test@local.test", "other.test!u@local.test", "\"u@other.test\"@local.test",
                "\"u@other.test\"", "u@other.test", "@local.test:u@other.test", "u%other.test@[127.0.0.1]")) {
            Process swaks = new ProcessBuilder(List.of("swaks", "--server", "127.0.0.2:" + mx, "--tls", "--helo",
                    "remote.test", "--from", "attacker@remote.test", "--to", address, "--quit-after", "RCPT"))
                    .redirectErrorStream(true).start();
            String transcript = new String(swaks.getInputStream().readAllBytes());
            assertTrue(swaks.waitFor(60, TimeUnit.SECONDS));
            assertNotEquals(0, swaks.exitValue(), transcript);
            // swaks marks an error reply inside TLS with "<~*".
            assertTrue(transcript.contains("<~* 554 5.7.1 "), transcript);
            assertTrue(transcript.contains("TLS started"), transcript);
            refused++;
        }
        return refused;
    }

    /** The recipients smtp-sink saw for messages holding {@code token}, once {@code count} have arrived. */
    private static Set<String> awaitRecipients(SmtpSink sink, String token, int count) throws Exception {
        Pattern rcpt = Pattern.compile("(?m)^X-Rcpt-Args: <(.*)>");
        Instant deadline = Instant.now().plusSeconds(60);
        Set<String> seen = new TreeSet<>();
        while (Instant.now().isBefore(deadline)) {
            seen.clear();
            for (String message : sink.messages()) {
                if (message.contains(token)) {
                    Matcher m = rcpt.matcher(message);
                    while (m.find()) {
                        seen.add(m.group(1));
                    }
                }
            }
            if (seen.size() >= count) {
                return seen;
            }
            Thread.sleep(200);
        }
        return seen;
    }

    private static void awaitEmptyQueue(PostfixInstance postfix) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!postfix.queueEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertTrue(postfix.queueEmpty(), "Postfix still holds mail:\n" + postfix.log());
    }

    /** Postfix as a site runs it behind an MX: local.test is its own, with the relay-prone defaults kept. */
    private PostfixInstance postfix(int localSink, int otherSink) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("mydestination", "local.test");
        settings.put("allow_percent_hack", "yes");
        settings.put("swap_bangpath", "yes");
        settings.put("resolve_dequoted_address", "yes");
        // local.test goes to its mailbox sink; anything routed anywhere else lands in the other sink.
        settings.put("transport_maps", "inline:{ local.test=smtp:[127.0.0.1]:" + localSink + " }");
        settings.put("relayhost", "[127.0.0.1]:" + otherSink);
        return new PostfixInstance(dir.resolve("postfix"), "mail.local.test", "127.0.0.3", settings).start();
    }

    private SealpostProcess sealpost(int mx, int postfixPort) throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("hostname", "mx.local.test");
        config.put("queue_directory", dir.resolve("sealpost/queue").toString());
        config.put("tls_cert_file", dir.resolve("tls/cert.pem").toString());
        config.put("tls_key_file", dir.resolve("tls/key.pem").toString());
        config.put("local_domains", "local.test");
        config.put("listeners", "mx");
        config.put("listener.mx.role", "mx");
        config.put("listener.mx.address", "127.0.0.2:" + mx);
        // The sender's domain is in no DNS this test serves: DMARC is reported, never enforced, here.
        config.put("listener.mx.dmarc_policy", "report");
        config.put("route.local.test", "[127.0.0.3]:" + postfixPort);
        return new SealpostProcess(dir.resolve("sealpost"), config).start();
    }
}
