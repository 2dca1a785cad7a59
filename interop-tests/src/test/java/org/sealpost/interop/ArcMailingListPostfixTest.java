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
 * author (dkimsign, p=reject domain) -> "mailing list" (tags the subject, which breaks the signature;
 * records dmarc=pass; dkimpy's arcsign seals) -> sealpost mx (SPF, DKIM, ARC, DMARC over the Knot lab)
 * -> Postfix (maildir): without the list in arc_trusted_sealers the DMARC failure gets 550 and never
 * reaches Postfix; with it the message is accepted and reaches Postfix with arc=pass and the override
 * in our Authentication-Results.
 */
class ArcMailingListPostfixTest {

    private static final String AUTHSERV_ID = "mx.dest.good.test";
    private static final String DEST = "dest.good.test";
    private static final String LIST = "list.good.test";
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void trustedListSeal_rescuesTheDmarcFailure_untrustedGets550() throws Exception {
        Peers.require("python3-dkim", "/usr/bin/dkimsign");
        Peers.require("python3-dkim", "/usr/bin/arcsign");
        Peers.require("python3-dkim", "/usr/bin/dknewkey");
        String authorKey = newKey("sel");
        String listKey = newKey("arc");
        String zone = ""
                // good.test as a public suffix under p=none: the DMARC tree walk ends inside the lab.
                + "_dmarc IN TXT \"v=DMARC1; p=none; psd=y\"\n"
                + "reject IN TXT \"v=spf1 -all\"\n"
                + "_dmarc.reject IN TXT \"v=DMARC1; p=reject\"\n"
                + "sel._domainkey.reject IN TXT " + DkimFixtures.zoneStrings(authorKey) + "\n"
                + "list IN TXT \"v=spf1 ip4:127.0.0.1 -all\"\n"
                + "arc._domainkey.list IN TXT " + DkimFixtures.zoneStrings(listKey) + "\n";
        Path maildirs = dir.resolve("maildirs");
        try (KnotLab lab = KnotLab.start(dir.resolve("lab"), zone);
                PostfixInstance postfix = new PostfixInstance(dir.resolve("postfix"), "mail.dest.good.test", "127.0.0.3",
                        PostfixInstance.maildirs(maildirs, Map.of(DEST, "dest"), 10L * 1024 * 1024)).start()) {
            String unbound = "127.0.0.1:" + lab.startUnbound().getPort();
            byte[] posted = throughTheList();

            int untrustingPort = Loopback.freePort("127.0.0.2");
            try (SealpostProcess sealpost = mx("untrusting", untrustingPort, unbound, lab, postfix, null);
                    SmtpClient client = new SmtpClient("127.0.0.2", untrustingPort)) {
                String refused = client.transact("bounces@" + LIST, "", List.of("bob@" + DEST), posted);
                assertTrue(refused.startsWith("550 5.7.1 ") && refused.contains("reject.good.test"), refused);
                String line = sealpost.awaitLine("checks: from=<bounces@" + LIST + ">", PEER_TIMEOUT);
                assertTrue(line.contains("dkim=fail header.d=reject.good.test") && line.contains("arc=pass (i=1 d="
                        + LIST + ") header.oldest-pass=0") && line.contains("verdict=reject 550 5.7.1"), line);
            }
            assertEquals(0, PostfixInstance.maildir(maildirs, "dest").size(), "the refused message never reached Postfix");

            int trustingPort = Loopback.freePort("127.0.0.2");
            try (SealpostProcess sealpost = mx("trusting", trustingPort, unbound, lab, postfix, LIST);
                    SmtpClient client = new SmtpClient("127.0.0.2", trustingPort)) {
                String accepted = client.transact("bounces@" + LIST, "", List.of("bob@" + DEST), posted);
                assertTrue(accepted.startsWith("250 "), accepted);
                String line = sealpost.awaitLine("checks: from=<bounces@" + LIST + ">", PEER_TIMEOUT);
                assertTrue(line.contains("overridden by trusted ARC sealer " + LIST) && line.contains("verdict=accept"),
                        line);
                Path delivered = awaitOne(maildirs);
                String received = Files.readString(delivered, StandardCharsets.UTF_8).replace("\r\n", "\n");
                assertTrue(received.contains("list-token"), received);
                String ours = MessageParts.unfolded(received, "Authentication-Results: " + AUTHSERV_ID + ";");
                assertTrue(ours.contains("spf=pass") && ours.contains("smtp.mailfrom=bounces@" + LIST), ours);
                assertTrue(ours.contains("dkim=fail header.d=reject.good.test"), ours);
                assertTrue(ours.contains("arc=pass (i=1 d=" + LIST + ") header.oldest-pass=0;"), ours);
                assertTrue(ours.contains("dmarc=fail (p=reject dis=none; overridden by trusted ARC sealer " + LIST
                        + ") header.from=reject.good.test"), ours);
                assertFalse(received.contains("X-Sealpost-Quarantine"), received);
            }
        }
    }

    /** A key made by dknewkey in {@code dir} ({@code NAME.key}); returns its TXT record. */
    private String newKey(String name) throws Exception {
        ShortProcess.Result made = ShortProcess.run(List.of("/usr/bin/dknewkey", "--ktype", "rsa", name), Map.of(),
                new byte[0], dir, PEER_TIMEOUT);
        assertEquals(0, made.status(), made.describe());
        return Files.readString(dir.resolve(name + ".dns")).strip();
    }

    /**
     * The author signs; the list checks it (its own Authentication-Results say dkim and dmarc pass),
     * tags the subject, and seals with arcsign.
     */
    private byte[] throughTheList() throws Exception {
        byte[] original = ("From: Alice <alice@reject.good.test>\r\nTo: list@" + LIST + "\r\nSubject: list-token\r\n"
                + "Message-ID: <list-token@reject.good.test>\r\n\r\nlist-token\r\n").getBytes(StandardCharsets.UTF_8);
        ShortProcess.Result signed = ShortProcess.run(List.of("/usr/bin/dkimsign", "sel", "reject.good.test",
                dir.resolve("sel.key").toString()), Map.of(), original, dir, PEER_TIMEOUT);
        assertTrue(signed.out().startsWith("DKIM-Signature: "), signed.describe());
        String tagged = new String(DkimFixtures.toCrlf(signed.stdout()), StandardCharsets.UTF_8)
                .replace("Subject: list-token", "Subject: [list] list-token");
        byte[] in = ("Authentication-Results: " + LIST + "; dkim=pass header.d=reject.good.test; "
                + "dmarc=pass header.from=reject.good.test\r\n" + tagged).getBytes(StandardCharsets.UTF_8);
        ShortProcess.Result sealed = ShortProcess.run(List.of("/usr/bin/arcsign", "arc", LIST,
                dir.resolve("arc.key").toString(), LIST), Map.of(), in, dir, PEER_TIMEOUT);
        assertEquals(0, sealed.status(), sealed.describe());
        assertTrue(sealed.out().startsWith("ARC-Seal: "), sealed.describe());
        return DkimFixtures.toCrlf(sealed.stdout());
    }

    /** A Sealpost mx before Postfix; {@code trusted} in arc_trusted_sealers, or none. */
    private SealpostProcess mx(String name, int port, String unbound, KnotLab lab, PostfixInstance postfix, String trusted)
            throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("hostname", AUTHSERV_ID);
        config.put("queue_directory", dir.resolve(name + "/queue").toString());
        config.put("listeners", "mx");
        config.put("listener.mx.role", "mx");
        config.put("listener.mx.address", "127.0.0.2:" + port);
        config.put("local_domains", DEST);
        config.put("route." + DEST, "[127.0.0.3]:" + postfix.port);
        config.put("dnssec", "validate");
        config.put("dnssec_trust_anchor_file", lab.trustAnchors.toString());
        config.put("dnssec_trust_anchor_replace_root", "yes");
        config.put("dns_resolvers", unbound);
        if (trusted != null) {
            config.put("arc_trusted_sealers", trusted);
        }
        return new SealpostProcess(dir.resolve(name), config).start();
    }

    private static Path awaitOne(Path maildirs) throws Exception {
        List<Path> found = PostfixInstance.awaitMaildir(maildirs, "dest", 1, PEER_TIMEOUT);
        if (found.isEmpty()) {
            throw new AssertionError("nothing reached Postfix's maildir within " + PEER_TIMEOUT);
        }
        return found.get(0);
    }
}
