package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.dnssec.lab.KnotLab;
import org.sealpost.interop.support.Netns;
import org.sealpost.interop.support.Peers;
import org.sealpost.interop.support.PostfixInstance;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.Tls;

/**
 * postfix sendmail -> postfix (smtp_tls_security_level = dane, DNS from the lab's unbound) -> sealpost mx
 * listener, verified by its TLSA record; and posttls-finger -l dane against the same listener. All inside a
 * network namespace whose system resolver is the lab's unbound on 127.0.0.1:53.
 */
class PostfixDaneSourceTest {

    private static final int MX_PORT = 2525;

    @TempDir
    Path dir;

    @Test
    void postfixAndPosttlsFinger_verifySealpostsListenerByDane() throws Exception {
        Peers.require("postfix", "/usr/sbin/posttls-finger");
        Path tls = dir.resolve("tls");
        Files.createDirectories(tls);
        Tls.selfSigned(tls, "mx.sealpost.good.test");
        String spki = Tls.spkiSha256(tls.resolve("cert.pem"));
        try (Netns netns = new Netns();
                // good.test as a public suffix under p=none: the DMARC tree walk ends inside the lab.
                KnotLab lab = KnotLab.start(dir.resolve("lab"), "mx.sealpost IN A 127.0.0.1\n" + "_dmarc IN TXT \"v=DMARC1; p=none; psd=y\"\n"

                        + "_" + MX_PORT + "._tcp.mx.sealpost IN TLSA 3 1 1 " + spki + "\n", netns.prefix())) {
            lab.startUnbound(53);
            Map<String, String> config = new LinkedHashMap<>();
            config.put("hostname", "mx.sealpost.good.test");
            config.put("queue_directory", dir.resolve("sealpost/queue").toString());
            config.put("tls_cert_file", tls.resolve("cert.pem").toString());
            config.put("tls_key_file", tls.resolve("key.pem").toString());
            config.put("local_domains", "sealpost.good.test");
            config.put("listeners", "mx");
            config.put("listener.mx.role", "mx");
            config.put("listener.mx.address", "127.0.0.1:" + MX_PORT);
            config.put("route.sealpost.good.test", "[127.0.0.1]:2599");
            // No next hop is started here: a probe of it would defer every recipient.
            config.put("recipient_verification", "off");
            config.put("dnssec", "off");
            Map<String, String> postfixSettings = new LinkedHashMap<>();
            postfixSettings.put("relayhost", "[mx.sealpost.good.test]:" + MX_PORT);
            postfixSettings.put("smtp_dns_support_level", "dnssec");
            postfixSettings.put("smtp_tls_security_level", "dane");
            postfixSettings.put("smtp_tls_loglevel", "1");
            try (SealpostProcess sealpost = new SealpostProcess(dir.resolve("sealpost"), config).through(netns.prefix()).start();
                    PostfixInstance postfix = new PostfixInstance(dir.resolve("postfix"), "postfix.good.test", "127.0.0.2",
                            postfixSettings, 2526).through(netns.prefix()).start()) {
                postfix.sendmail("alice@postfix.good.test", "bob@sealpost.good.test",
                        "From: alice@postfix.good.test\nTo: bob@sealpost.good.test\nSubject: dane\n\nverified hop\n");
                String verified = postfix.awaitLog("Verified TLS connection established to mx\\.sealpost\\.good\\.test",
                        Duration.ofSeconds(30));
                assertTrue(verified.contains("[127.0.0.1]:" + MX_PORT), verified);
                postfix.awaitLog("status=sent", Duration.ofSeconds(30));
                sealpost.awaitLine("from=<alice@postfix.good.test>", Duration.ofSeconds(10));

                List<String> command = new ArrayList<>(netns.prefix());
                command.addAll(List.of("/usr/bin/env", "MAIL_CONFIG=" + postfix.etc(), "/usr/sbin/posttls-finger",
                        "-t", "30", "-T", "30", "-l", "dane", "[mx.sealpost.good.test]:" + MX_PORT));
                Process finger = new ProcessBuilder(command).redirectErrorStream(true).start();
                String output = new String(finger.getInputStream().readAllBytes());
                finger.waitFor(60, TimeUnit.SECONDS);
                assertTrue(output.contains("Verified TLS connection established to mx.sealpost.good.test"), output);
                assertEquals(0, finger.exitValue(), output);
            }
        }
    }
}
