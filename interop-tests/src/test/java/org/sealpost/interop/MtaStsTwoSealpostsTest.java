package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.dnssec.lab.KnotLab;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.Peers;
import org.sealpost.interop.support.SealpostCli;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.ShortProcess;
import org.sealpost.interop.support.SmtpSink;
import org.sealpost.interop.support.TestAuthority;

/**
 * swaks -> sealpost A (submission; MTA-STS from knotd via unbound and B's HTTPS) -> STARTTLS,
 * chain verified for the MX name -> sealpost B (mx for stsown.good.test, serving its own policy on
 * mta_sts_policy_listen) -> smtp-sink.
 *
 * <p>Both sides of MTA-STS as the README tells an operator to set them up: B's records are what
 * `sealpost dns records` prints for B's configuration, published in the zone as printed; A fetches
 * B's policy from B itself and holds its delivery to it.
 */
class MtaStsTwoSealpostsTest {

    private static final String DOMAIN = "stsown.good.test";

    @TempDir
    Path dir;

    @Test
    void thePolicyBPublishesAndServes_isTheOneAEnforces_onAMessageOfRealSize() throws Exception {
        Peers.require("swaks", "/usr/bin/swaks");
        TestAuthority authority = TestAuthority.create(dir.resolve("ca"), "Sealpost Interop Test CA");
        Path mxChain = authority.issue("mx", "mx." + DOMAIN);
        Path policyChain = authority.issue("policy", "mta-sts." + DOMAIN);
        int mxPort = Loopback.freePort("127.0.0.3");
        int policyPort = Loopback.freePort("127.0.0.4");
        int submission = Loopback.freePort("127.0.0.1");
        Path attachment = dir.resolve("data.bin");
        byte[] data = new byte[1024 * 1024];
        new Random(21).nextBytes(data);
        Files.write(attachment, data);
        try (SmtpSink sink = new SmtpSink(dir, "127.0.0.1")) {
            Map<String, String> b = new LinkedHashMap<>();
            b.put("hostname", "mx." + DOMAIN);
            b.put("queue_directory", dir.resolve("b/queue").toString());
            b.put("listeners", "mx");
            b.put("listener.mx.role", "mx");
            b.put("listener.mx.address", "127.0.0.3:" + mxPort);
            b.put("tls_cert_file", mxChain.toString());
            b.put("tls_key_file", dir.resolve("ca/mx.key").toString());
            b.put("local_domains", DOMAIN);
            b.put("route." + DOMAIN, "[127.0.0.1]:" + sink.port);
            b.put("recipient_verification", "off");
            b.put("mta_sts_policy_mode", "enforce");
            b.put("mta_sts_policy_listen", "127.0.0.4:" + policyPort);
            b.put("mta_sts_policy_cert_file", policyChain.toString());
            b.put("mta_sts_policy_key_file", dir.resolve("ca/policy.key").toString());
            b.put("tlsrpt_rua", "mailto:tlsrpt@" + DOMAIN);
            SealpostProcess receiver = new SealpostProcess(dir.resolve("b"), b);
            ShortProcess.Result records = SealpostCli.run(dir, new byte[0], "dns", "records", "--config", receiver.config().toString());
            assertEquals(0, records.status(), records.describe());
            String txt = records.out().lines().filter(line -> line.startsWith("_mta-sts." + DOMAIN + ". IN TXT "))
                    .findFirst().orElseThrow(() -> new AssertionError(records.out()));
            String zone = "stsown IN MX 10 mx.stsown\nmx.stsown IN A 127.0.0.3\n"
                    + "_mta-sts.stsown IN TXT " + txt.replaceAll(".* IN TXT (\"[^\"]*\").*", "$1") + "\n"
                    + "mta-sts.stsown IN A 127.0.0.4\n";
            try (KnotLab lab = KnotLab.start(dir.resolve("lab"), zone)) {
                InetSocketAddress unbound = lab.startUnbound();
                b.putAll(SealpostProcess.labDnssec(lab.trustAnchors, "127.0.0.1:" + unbound.getPort()));
                Map<String, String> a = SealpostProcess.submissionRelay("relay.interop.test", dir.resolve("a/queue"),
                        submission);
                a.putAll(SealpostProcess.labDnssec(lab.trustAnchors, "127.0.0.1:" + unbound.getPort()));
                // The MX lookup is real; only the port differs from 25 (and 443 for the policy).
                a.put("route." + DOMAIN, DOMAIN + ":" + mxPort);
                a.put("tls_ca_file", authority.certificate.toString());
                a.put("mta_sts_port", Integer.toString(policyPort));
                try (SealpostProcess bProcess = new SealpostProcess(dir.resolve("b"), b).start();
                        SealpostProcess aProcess = new SealpostProcess(dir.resolve("a"), a).start()) {
                    bProcess.awaitLine("mta-sts policy id [0-9a-f]{20} served on https://127\\.0\\.0\\.4:" + policyPort,
                            Duration.ofSeconds(10));
                    String token = "sts-own-" + System.nanoTime();
                    swaks(submission, "bob@" + DOMAIN, token, attachment);

                    String sent = aProcess.awaitLine("to=<bob@" + DOMAIN + ">.*status=sent", Duration.ofSeconds(60));
                    assertTrue(sent.contains("(mta-sts)"), sent);
                    String id = txt.replaceAll(".*id=([0-9a-f]+).*", "$1");
                    assertTrue(aProcess.output().contains("mta-sts: " + DOMAIN + ": policy id=" + id + " mode=enforce"),
                            aProcess.output());
                    assertTrue(bProcess.output().contains("mta-sts policy: sent to 127.0.0.1 for mta-sts." + DOMAIN),
                            bProcess.output());
                    bProcess.awaitLine("to=<bob@" + DOMAIN + ">.*relay=127\\.0\\.0\\.1.*status=sent", Duration.ofSeconds(60));
                    String message = sink.awaitMessage(token, Duration.ofSeconds(60));
                    assertTrue(message.length() > 1024 * 1024, "the whole message arrived: " + message.length() + " octets");
                    assertTrue(message.contains("Authentication-Results: mx." + DOMAIN), "checked by B");
                }
            }
        }
    }

    private static void swaks(int port, String to, String body, Path attachment) throws Exception {
        Process swaks = new ProcessBuilder(List.of("swaks", "--server", "127.0.0.1:" + port, "--from",
                "alice@src.interop.test", "--to", to, "--body", body, "--attach-type", "application/octet-stream",
                "--attach-name", "data.bin", "--attach", "@" + attachment)).redirectErrorStream(true).start();
        String dialog = new String(swaks.getInputStream().readAllBytes());
        if (!swaks.waitFor(60, TimeUnit.SECONDS) || swaks.exitValue() != 0) {
            throw new AssertionError("swaks failed: " + dialog);
        }
    }
}
