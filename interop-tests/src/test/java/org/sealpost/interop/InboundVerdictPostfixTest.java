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
import org.sealpost.dnssec.lab.KnotLab;
import org.sealpost.interop.support.DkimFixtures;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.Peers;
import org.sealpost.interop.support.PostfixInstance;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.ShortProcess;
import org.sealpost.interop.support.SmtpClient;

/**
 * sending MTA (SmtpClient; dkimsign signs) -> sealpost mx (SPF, DKIM, DMARC through unbound over the
 * Knot lab; the verdict before the reply to the dot) -> Postfix (maildir, header_checks HOLD): a
 * forgery of a p=reject domain gets 550 and never reaches Postfix, a SERVFAIL on the policy gets
 * 451, a message without From 550 5.6.0, a good one arrives with spf, dkim and dmarc pass in our
 * Authentication-Results and without the forged field that claimed our authserv-id, and a
 * p=quarantine failure arrives marked, so that Postfix holds it.
 */
class InboundVerdictPostfixTest {

    private static final String AUTHSERV_ID = "mx.dest.good.test";
    private static final String DEST = "dest.good.test";
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void verdictsBeforeThe250_andWhatPostfixReceives() throws Exception {
        Peers.require("python3-dkim", "/usr/bin/dkimsign");
        Peers.require("python3-dkim", "/usr/bin/dknewkey");
        ShortProcess.Result made = ShortProcess.run(List.of("/usr/bin/dknewkey", "--ktype", "rsa", "sel"), Map.of(),
                new byte[0], dir, PEER_TIMEOUT);
        assertEquals(0, made.status(), made.describe());
        String keyRecord = Files.readString(dir.resolve("sel.dns")).strip();
        String zone = ""
                // good.test as a public suffix under p=none: the DMARC tree walk ends inside the lab.
                + "_dmarc IN TXT \"v=DMARC1; p=none; psd=y\"\n"
                + "reject IN TXT \"v=spf1 ip4:127.0.0.1 -all\"\n"
                + "_dmarc.reject IN TXT \"v=DMARC1; p=reject\"\n"
                + "sel._domainkey.reject IN TXT " + DkimFixtures.zoneStrings(keyRecord) + "\n"
                + "held IN TXT \"v=spf1 -all\"\n"
                + "_dmarc.held IN TXT \"v=DMARC1; p=quarantine\"\n";
        Path maildirs = dir.resolve("maildirs");
        Path headerChecks = dir.resolve("header_checks");
        // docs/verification.md: the line that makes Postfix hold what DMARC asked to quarantine.
        Files.writeString(headerChecks, "/^X-Sealpost-Quarantine:/ HOLD DMARC quarantine\n");
        Map<String, String> postfixSettings = new LinkedHashMap<>(PostfixInstance.maildirs(maildirs, Map.of(DEST, "dest"),
                10L * 1024 * 1024));
        postfixSettings.put("header_checks", "regexp:" + headerChecks);
        try (KnotLab lab = KnotLab.start(dir.resolve("lab"), zone);
                PostfixInstance postfix = new PostfixInstance(dir.resolve("postfix"), "mail.dest.good.test", "127.0.0.3",
                        postfixSettings).start()) {
            String unbound = "127.0.0.1:" + lab.startUnbound().getPort();
            int mx = Loopback.freePort("127.0.0.2");
            Map<String, String> config = new LinkedHashMap<>();
            config.put("hostname", AUTHSERV_ID);
            config.put("queue_directory", dir.resolve("mx/queue").toString());
            config.put("listeners", "mx");
            config.put("listener.mx.role", "mx");
            config.put("listener.mx.address", "127.0.0.2:" + mx);
            config.put("local_domains", DEST);
            config.put("route." + DEST, "[127.0.0.3]:" + postfix.port);
            config.put("dnssec", "validate");
            config.put("dnssec_trust_anchor_file", lab.trustAnchors.toString());
            config.put("dnssec_trust_anchor_replace_root", "yes");
            config.put("dns_resolvers", unbound);
            try (SealpostProcess sealpost = new SealpostProcess(dir.resolve("mx"), config).start();
                    SmtpClient client = new SmtpClient("127.0.0.2", mx)) {
                // A forgery: the From of a p=reject domain, an envelope of another, no signature.
                String forged = client.transact("mallory@spammer.good.test", "", List.of("bob@" + DEST),
                        message("From: Alice <alice@reject.good.test>", "forged-token"));
                assertTrue(forged.startsWith("550 5.7.1 ") && forged.contains("reject.good.test")
                        && forged.contains("p=reject"), forged);

                String servfail = client.transact("carol@x.servfail.test", "", List.of("bob@" + DEST),
                        message("From: carol@x.servfail.test", "servfail-token"));
                assertTrue(servfail.startsWith("451 4.7.0 ") && servfail.contains("x.servfail.test"), servfail);

                String noFrom = client.transact("alice@reject.good.test", "", List.of("bob@" + DEST),
                        message("Sender: alice@reject.good.test", "nofrom-token"));
                assertTrue(noFrom.startsWith("550 5.6.0 "), noFrom);

                // A good one, signed by dkimpy; a field claiming our authserv-id is added after signing.
                ShortProcess.Result signed = ShortProcess.run(List.of("/usr/bin/dkimsign", "sel", "reject.good.test",
                        dir.resolve("sel.key").toString()), Map.of(), message("From: Alice <alice@reject.good.test>",
                        "good-token"), dir, PEER_TIMEOUT);
                assertTrue(signed.out().startsWith("DKIM-Signature: "), signed.describe());
                byte[] good = ("Authentication-Results: MX.Dest.Good.Test; dkim=pass header.d=reject.good.test (forged)\r\n"
                        + "Authentication-Results: other.example; spf=pass smtp.mailfrom=alice@reject.good.test (kept)\r\n"
                        + new String(DkimFixtures.toCrlf(signed.stdout()), StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8);
                String accepted = client.transact("alice@reject.good.test", "", List.of("bob@" + DEST), good);
                assertTrue(accepted.startsWith("250 "), accepted);

                String held = client.transact("bob@held.good.test", "", List.of("bob@" + DEST),
                        message("From: bob@held.good.test", "held-token"));
                assertTrue(held.startsWith("250 "), held);

                Path delivered = awaitOne(maildirs);
                String received = Files.readString(delivered, StandardCharsets.UTF_8).replace("\r\n", "\n");
                assertTrue(received.contains("good-token"), received);
                String ours = MessageParts.unfolded(received, "Authentication-Results: " + AUTHSERV_ID + ";");
                assertTrue(ours.contains(" spf=pass ") && ours.contains("smtp.mailfrom=alice@reject.good.test"), ours);
                assertTrue(ours.contains("dkim=pass header.d=reject.good.test header.s=sel") && ours.contains("key SECURE"),
                        ours);
                assertTrue(ours.contains("arc=none"), ours);
                assertTrue(ours.contains("dmarc=pass (p=reject dis=none) header.from=reject.good.test"), ours);
                assertFalse(received.contains("(forged)"), "the field that claimed our authserv-id was removed:\n" + received);
                assertTrue(received.contains("Authentication-Results: other.example; spf=pass"), received);
                assertFalse(received.contains("X-Sealpost-Quarantine"), received);

                // The quarantined message reached Postfix marked, and header_checks held it.
                postfix.awaitLog("hold: header X-Sealpost-Quarantine: dmarc p=quarantine dis=quarantine "
                        + "header.from=held.good.test", PEER_TIMEOUT);
                sealpost.awaitLine("checks: from=<bob@held.good.test>.*dmarc=fail.*verdict=quarantine", PEER_TIMEOUT);
                String rejectLine = sealpost.awaitLine("checks: from=<mallory@spammer.good.test>", PEER_TIMEOUT);
                assertTrue(rejectLine.contains("spf=none") && rejectLine.contains("dkim=none")
                        && rejectLine.contains("verdict=reject 550 5.7.1"), rejectLine);

                Thread.sleep(500);
                assertEquals(1, PostfixInstance.maildir(maildirs, "dest").size(), "only the good message is delivered");
                String postfixLog = postfix.log();
                for (String token : List.of("forged-token", "servfail-token", "nofrom-token")) {
                    assertFalse(postfixLog.contains(token) || received.contains(token), token + " reached Postfix");
                }
                assertFalse(postfixLog.contains("mallory@spammer.good.test"), "the forgery never reached Postfix");
            }
        }
    }

    private static byte[] message(String from, String token) {
        return (from + "\r\nTo: bob@" + DEST + "\r\nSubject: " + token + "\r\nMessage-ID: <" + token + "@good.test>\r\n\r\n"
                + token + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static Path awaitOne(Path maildirs) throws Exception {
        List<Path> found = PostfixInstance.awaitMaildir(maildirs, "dest", 1, PEER_TIMEOUT);
        if (found.isEmpty()) {
            throw new AssertionError("nothing reached Postfix's maildir within " + PEER_TIMEOUT);
        }
        return found.get(0);
    }
}
