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
import org.sealpost.interop.support.SealpostCli;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.ShortProcess;
import org.sealpost.interop.support.SmtpClient;
import org.sealpost.interop.support.SmtpSink;

/**
 * list (dkimpy arcsign, p=reject author) -> sealpost mx -> Postfix (virtual alias to an outside address)
 * -> sealpost submission (Postfix's relayhost, arc_seal = yes) -> smtp-sink: dkimpy's arc_verify passes
 * the chain with our set i=2 as the newest, and our ARC-Authentication-Results are the
 * Authentication-Results our mx wrote. A message handed to Postfix's sendmail with a forged
 * Authentication-Results in our name loses it to the documented header_checks line and goes out unsealed.
 */
class ArcSealForwardPostfixTest {

    private static final String AUTHSERV_ID = "mx.fwd.good.test";
    private static final String FWD = "fwd.good.test";
    private static final String LIST = "list.good.test";
    private static final String DEST = "dest.good.test";
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(30);

    /** dkimpy's own ARC validation, with the key records from DKIM_TEST_DNS: "cv=pass", then one line per set, newest first. */
    private static final String ARC_VERIFY = """
            import sys, dkim
            cv, sets, comment = dkim.arc_verify(sys.stdin.buffer.read())
            print("cv=%s %s" % (cv.decode() if cv else None, comment))
            for s in sets:
                print("i=%d as=%s cv=%s as-valid=%s ams-valid=%s" % (s["instance"], s["as-domain"].decode(),
                      s["cv"].decode(), s["as-valid"], s["ams-valid"]))
            """;

    @TempDir
    Path dir;

    @Test
    void forwardedThroughPostfix_isSealedWithOurResults_andDkimpyPassesTheChain() throws Exception {
        Peers.require("python3-dkim", "/usr/bin/dkimsign");
        Peers.require("python3-dkim", "/usr/bin/arcsign");
        Peers.require("python3-dkim", "/usr/bin/dknewkey");
        String authorKey = newKey("sel");
        String listKey = newKey("arc");
        ShortProcess.Result keygen = SealpostCli.run(dir, new byte[0], "dkim", "keygen", "--domain", FWD, "--selector",
                "seal", "--algorithm", "rsa-sha256", "--out", dir.resolve("seal.pem").toString());
        assertEquals(0, keygen.status(), keygen.describe());
        String zone = ""
                // good.test as a public suffix under p=none: the DMARC tree walk ends inside the lab.
                + "_dmarc IN TXT \"v=DMARC1; p=none; psd=y\"\n"
                + "reject IN TXT \"v=spf1 -all\"\n"
                + "_dmarc.reject IN TXT \"v=DMARC1; p=reject\"\n"
                + "sel._domainkey.reject IN TXT " + DkimFixtures.zoneStrings(authorKey) + "\n"
                + "list IN TXT \"v=spf1 ip4:127.0.0.1 -all\"\n"
                + "arc._domainkey.list IN TXT " + DkimFixtures.zoneStrings(listKey) + "\n"
                + keygen.out();
        Path pythonPath = DkimDkimpyTest.writeDnsOverride(dir);
        int mxPort = Loopback.freePort("127.0.0.2");
        int submissionPort = Loopback.freePort("127.0.0.2");
        Map<String, String> forwarding = new LinkedHashMap<>();
        forwarding.put("virtual_alias_domains", FWD);
        forwarding.put("virtual_alias_maps", "inline:{ bob@" + FWD + "=carol@" + DEST + " }");
        forwarding.put("relayhost", "[127.0.0.2]:" + submissionPort);
        try (KnotLab lab = KnotLab.start(dir.resolve("lab"), zone);
                SmtpSink sink = new SmtpSink(dir.resolve("dest"), "127.0.0.1");
                PostfixInstance postfix = stripOurResults(new PostfixInstance(dir.resolve("postfix"), "mail." + FWD,
                        "127.0.0.3", forwarding)).start();
                SealpostProcess sealpost = sealpost(mxPort, submissionPort, "127.0.0.1:" + lab.startUnbound().getPort(),
                        lab, postfix, sink).start();
                SmtpClient client = new SmtpClient("127.0.0.2", mxPort)) {
            String accepted = client.transact("bounces@" + LIST, "", List.of("bob@" + FWD), throughTheList());
            assertTrue(accepted.startsWith("250 "), accepted);
            String checks = sealpost.awaitLine("checks: from=<bounces@" + LIST + ">", PEER_TIMEOUT);
            assertTrue(checks.contains("arc=pass (i=1 d=" + LIST + ")") && checks.contains("dmarc=pass"), checks);
            String sealed = sealpost.awaitLine("ARC-Seal added \\(i=2, cv=pass, d=" + FWD + ", s=seal\\)", PEER_TIMEOUT);
            assertTrue(sealed.matches(".*: [0-9A-Za-z]+: ARC-Seal added .*"), sealed);

            byte[] received = crlf(withoutSinkLines(sink.awaitMessage("forward-token", PEER_TIMEOUT)));
            String text = new String(received, StandardCharsets.UTF_8);
            ShortProcess.Result verified = ShortProcess.run(List.of("/usr/bin/python3", "-c", ARC_VERIFY), Map.of(
                    "PYTHONPATH", pythonPath.toString(), "DKIM_TEST_DNS", "127.0.0.1:" + lab.address.getPort()), received,
                    dir, PEER_TIMEOUT);
            assertEquals(0, verified.status(), verified.describe());
            assertTrue(verified.out().startsWith("cv=pass "), verified.describe() + "\n" + text);
            assertTrue(verified.out().contains("i=2 as=" + FWD + " cv=pass as-valid=True ams-valid=True\n"),
                    verified.describe());
            assertTrue(verified.out().contains("i=1 as=" + LIST + " cv=none as-valid=True"), verified.describe());
            // Our set is on top of what Postfix passed on (smtp-sink's own Received is above it).
            assertTrue(text.contains("(UTC)\r\nARC-Seal: i=2; a=rsa-sha256; cv=pass; d=" + FWD + "; s=seal;"), text);
            assertEquals(payload(field(text, "Authentication-Results: " + AUTHSERV_ID + ";")),
                    payload(field(text, "ARC-Authentication-Results: i=2;").replaceFirst("i=2;\\s*", "")));

            // Mail entering Postfix another way: the forged field in our name is stripped before it reaches us.
            postfix.sendmail("alice@" + FWD, "bob@" + FWD, "From: alice@" + FWD + "\nTo: bob@" + FWD
                    + "\nSubject: local-token\nAuthentication-Results: " + AUTHSERV_ID + "; arc=pass; dmarc=pass\n\n"
                    + "local-token\n");
            String local = withoutSinkLines(sink.awaitMessage("local-token", PEER_TIMEOUT));
            assertFalse(local.contains("Authentication-Results: " + AUTHSERV_ID), local);
            assertFalse(local.contains("ARC-Seal:"), local);
            assertEquals(1, sealpost.count("ARC-Seal added"), sealpost.output());
        }
    }

    /**
     * The documented header_checks (docs/verification.md) on the mail Postfix's pickup takes in (sendmail), so that
     * only the smtpd that Sealpost's mx listener hands mail to keeps our Authentication-Results.
     */
    private static PostfixInstance stripOurResults(PostfixInstance postfix) throws Exception {
        Path checks = postfix.etc().resolve("strip_our_results");
        Files.writeString(checks, "/^Authentication-Results:[[:space:]]*" + AUTHSERV_ID.replace(".", "\\.")
                + "([[:space:];]|$)/ IGNORE\n");
        Path master = postfix.etc().resolve("master.cf");
        String services = Files.readString(master).replace("pickup unix n - n 60 1 pickup\n",
                "pickup unix n - n 60 1 pickup\n  -o cleanup_service_name=cleanup_strip\n")
                + "cleanup_strip unix n - n - 0 cleanup\n  -o header_checks=regexp:" + checks + "\n";
        Files.writeString(master, services);
        return postfix;
    }

    private SealpostProcess sealpost(int mxPort, int submissionPort, String unbound, KnotLab lab, PostfixInstance postfix,
            SmtpSink sink) throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("hostname", AUTHSERV_ID);
        config.put("queue_directory", dir.resolve("sealpost/queue").toString());
        config.put("listeners", "mx, submission");
        config.put("listener.mx.role", "mx");
        config.put("listener.mx.address", "127.0.0.2:" + mxPort);
        config.put("listener.submission.role", "submission");
        config.put("listener.submission.address", "127.0.0.2:" + submissionPort);
        config.put("local_domains", FWD);
        config.put("route." + FWD, "[127.0.0.3]:" + postfix.port);
        config.put("route." + DEST, "[127.0.0.1]:" + sink.port);
        config.put("dnssec", "validate");
        config.put("dnssec_trust_anchor_file", lab.trustAnchors.toString());
        config.put("dnssec_trust_anchor_replace_root", "yes");
        config.put("dns_resolvers", unbound);
        config.put("arc_seal", "yes");
        config.put("arc_seal_domain", FWD);
        config.put("arc_seal_key", "seal:" + dir.resolve("seal.pem"));
        return new SealpostProcess(dir.resolve("sealpost"), config);
    }

    /** A key made by dknewkey in {@code dir} ({@code NAME.key}); returns its TXT record. */
    private String newKey(String name) throws Exception {
        ShortProcess.Result made = ShortProcess.run(List.of("/usr/bin/dknewkey", "--ktype", "rsa", name), Map.of(),
                new byte[0], dir, PEER_TIMEOUT);
        assertEquals(0, made.status(), made.describe());
        return Files.readString(dir.resolve(name + ".dns")).strip();
    }

    /** The author signs at reject.good.test (p=reject); the list records what it found and seals with arcsign. */
    private byte[] throughTheList() throws Exception {
        byte[] original = ("From: Alice <alice@reject.good.test>\r\nTo: bob@" + FWD + "\r\nSubject: forward-token\r\n"
                + "Date: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <forward-token@reject.good.test>\r\n\r\n"
                + "forward-token\r\n").getBytes(StandardCharsets.UTF_8);
        ShortProcess.Result signed = ShortProcess.run(List.of("/usr/bin/dkimsign", "sel", "reject.good.test",
                dir.resolve("sel.key").toString()), Map.of(), original, dir, PEER_TIMEOUT);
        assertTrue(signed.out().startsWith("DKIM-Signature: "), signed.describe());
        byte[] in = ("Authentication-Results: " + LIST + "; dkim=pass header.d=reject.good.test; "
                + "dmarc=pass header.from=reject.good.test\r\n" + new String(DkimFixtures.toCrlf(signed.stdout()),
                StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        ShortProcess.Result sealed = ShortProcess.run(List.of("/usr/bin/arcsign", "arc", LIST,
                dir.resolve("arc.key").toString(), LIST), Map.of(), in, dir, PEER_TIMEOUT);
        assertEquals(0, sealed.status(), sealed.describe());
        assertTrue(sealed.out().startsWith("ARC-Seal: "), sealed.describe());
        return DkimFixtures.toCrlf(sealed.stdout());
    }

    /** smtp-sink puts the envelope before the message as X-Client-*, X-Helo-Args, X-Mail-Args, X-Rcpt-Args lines. */
    private static String withoutSinkLines(String dump) {
        return dump.replaceAll("(?m)\\A(?:X-(?:Client-[A-Za-z]+|Helo-Args|Mail-Args|Rcpt-Args): [^\n]*\n)+", "");
    }

    private static byte[] crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The field starting with {@code start}, folding kept. */
    private static String field(String message, String start) {
        int at = message.indexOf(start);
        assertTrue(at >= 0, "no '" + start + "' in:\n" + message);
        String rest = message.substring(at);
        java.util.regex.Matcher end = java.util.regex.Pattern.compile("\r\n(?![ \t])").matcher(rest);
        return end.find() ? rest.substring(0, end.start()) : rest;
    }

    /** A field's value unfolded (RFC 5322 2.2.3), white space runs as one space, as relaxed canonicalization reads it. */
    private static String payload(String field) {
        return field.substring(field.indexOf(':') + 1).replace("\r\n", "").replaceAll("[ \t]+", " ").strip();
    }
}
