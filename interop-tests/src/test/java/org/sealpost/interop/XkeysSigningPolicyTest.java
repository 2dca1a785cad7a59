package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.dnssec.lab.KnotLab;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpClient;
import org.sealpost.interop.support.SmtpSink;
import org.sealpost.interop.support.Tls;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;

/**
 * sealpost B (submission) -> MX by knotd -> STARTTLS + XKEYS -> sealpost A (mx): B pins A's key set, which
 * names A's DKIM selector for pin.good.test; then forger -> B (mx): 550 at the dot, and
 * sealpost A (submission, signs) -> B (mx) -> smtp-sink with the signing policy in Authentication-Results.
 */
class XkeysSigningPolicyTest {

    private static final String DOMAIN = "pin.good.test";
    private static final String MX = "mx.pin.good.test";

    @TempDir
    Path dir;

    @Test
    void afterBPinnedA_forgedMailFromAsDomainIsRefused_andSignedMailArrivesWithThePolicyResult() throws Exception {
        GeneratedKey dkim = DkimKeys.generate(KeyType.ED25519, 0);
        Path key = dir.resolve("dkim.pem");
        Files.writeString(key, dkim.privateKeyPem());
        int mxA = Loopback.freePort("127.0.0.2");
        int submissionA = Loopback.freePort("127.0.0.1");
        int mxB = Loopback.freePort("127.0.0.1");
        int submissionB = Loopback.freePort("127.0.0.1");
        String zone = "pin IN MX 10 mx.pin\nmx.pin IN A 127.0.0.2\n"
                + dkim.zoneFileLine("s1").replace("._domainkey IN", "._domainkey.pin IN") + "\n";
        try (KnotLab lab = KnotLab.start(dir.resolve("lab"), zone); SmtpSink sink = new SmtpSink(dir, "127.0.0.1")) {
            Path tls = dir.resolve("tls");
            Files.createDirectories(tls);
            Tls.selfSigned(tls, MX);
            String resolver = "127.0.0.1:" + lab.address.getPort();

            Map<String, String> a = new LinkedHashMap<>();
            a.put("hostname", MX);
            a.put("queue_directory", dir.resolve("a/queue").toString());
            a.put("listeners", "mx, submission");
            a.put("listener.mx.role", "mx");
            a.put("listener.mx.address", "127.0.0.2:" + mxA);
            a.put("listener.submission.role", "submission");
            a.put("listener.submission.address", "127.0.0.1:" + submissionA);
            a.put("listener.submission.starttls", "no");
            a.put("tls_cert_file", tls.resolve("cert.pem").toString());
            a.put("tls_key_file", tls.resolve("key.pem").toString());
            a.put("dkim_key." + DOMAIN, "s1:" + key);
            a.put("dnssec", "off");
            a.put("dns_resolvers", resolver);
            a.put("local_domains", DOMAIN);
            a.put("route." + DOMAIN, "[127.0.0.1]:" + sink.port);
            a.put("route.src.test", "[127.0.0.1]:" + mxB);

            Map<String, String> b = new LinkedHashMap<>();
            b.put("hostname", "relay.src.test");
            b.put("queue_directory", dir.resolve("b/queue").toString());
            b.put("listeners", "submission, mx");
            b.put("listener.submission.role", "submission");
            b.put("listener.submission.address", "127.0.0.1:" + submissionB);
            b.put("listener.mx.role", "mx");
            b.put("listener.mx.address", "127.0.0.1:" + mxB);
            b.put("dnssec", "off");
            b.put("dns_resolvers", resolver);
            // The MX lookup is real; only the port differs from 25, and the pin is keyed by it.
            b.put("route." + DOMAIN, DOMAIN + ":" + mxA);
            b.put("local_domains", "src.test");
            b.put("route.src.test", "[127.0.0.1]:" + sink.port);
            b.put("xkeys_signing_policy", "enforce");

            try (SealpostProcess sealpostA = new SealpostProcess(dir.resolve("a"), a).start();
                    SealpostProcess sealpostB = new SealpostProcess(dir.resolve("b"), b).start()) {
                try (SmtpClient client = new SmtpClient("127.0.0.1", submissionB)) {
                    client.send("carol@src.test", "bob@" + DOMAIN, "From: carol@src.test\r\nTo: bob@" + DOMAIN
                            + "\r\nSubject: pin-token\r\n\r\npin-token\r\n");
                }
                sink.awaitMessage("pin-token", Duration.ofSeconds(30));
                sealpostB.awaitLine("xkeys: first contact with " + MX + ":" + mxA, Duration.ofSeconds(10));

                String forged;
                try (SmtpClient forger = new SmtpClient("127.0.0.1", mxB)) {
                    forged = forger.send("alice@" + DOMAIN, "carol@src.test", "From: alice@" + DOMAIN
                            + "\r\nTo: carol@src.test\r\nSubject: forged-token\r\n\r\nforged-token\r\n");
                }
                assertTrue(forged.startsWith("550 5.7.1 Error: mail from " + DOMAIN + " must carry a passing DKIM "
                        + "signature by " + DOMAIN + ": the XKEYS key set of its MX " + MX + " (port " + mxA
                        + ") names the DKIM selector s1"), forged);
                sealpostB.awaitLine("checks: from=<alice@" + DOMAIN + ">.*policy.xkeys-signing=fail.*verdict=reject 550 5.7.1",
                        Duration.ofSeconds(5));

                try (SmtpClient client = new SmtpClient("127.0.0.1", submissionA)) {
                    String queued = client.send("alice@" + DOMAIN, "carol@src.test", "From: alice@" + DOMAIN
                            + "\r\nTo: carol@src.test\r\nSubject: signed-token\r\n\r\nsigned-token\r\n");
                    assertTrue(queued.startsWith("250"), queued);
                }
                String received = sink.awaitMessage("signed-token", Duration.ofSeconds(30));
                assertTrue(received.contains("Authentication-Results: relay.src.test;"), received);
                assertTrue(received.contains("dkim=pass header.d=" + DOMAIN + " header.s=s1"), received);
                assertTrue(received.contains("header.from=" + DOMAIN + " policy.xkeys-signing=pass (the key set of " + MX
                        + ":" + mxA + " lists s=s1 for " + DOMAIN + ")"), received);
                assertFalse(sink.messages().stream().anyMatch(m -> m.contains("forged-token")), "the forgery was relayed");
            }
        }
    }
}
