package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.Peers;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.SmtpSink;
import org.sealpost.interop.support.Tls;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.transport.sasl.PasswordFile;

/**
 * client or swaks (AUTH) -> sealpost submission (signs, RSA + Ed25519) -> MX by knotd -> sealpost mx
 * (verifies, keys DNSSEC-validated through unbound) -> smtp-sink: the relay signs only what the
 * client may send, and the receiving instance records dkim=pass with the key SECURE.
 */
class DkimRelayTest {

    private static final String SIGNED = "signed.good.test";

    @TempDir
    Path dir;

    @Test
    void submissionSigns_mxVerifies_andALoginSignsOnlyItsOwnAddresses() throws Exception {
        GeneratedKey ed = DkimKeys.generate(KeyType.ED25519, 0);
        GeneratedKey rsa = DkimKeys.generate(KeyType.RSA, 2048);
        Path keys = dir.resolve("dkim");
        Files.createDirectories(keys);
        Files.writeString(keys.resolve("ed.pem"), ed.privateKeyPem());
        Files.writeString(keys.resolve("rsa.pem"), rsa.privateKeyPem());
        int mx = Loopback.freePort("127.0.0.2");
        // good.test as a public suffix under p=none: the DMARC tree walk ends inside the lab.
        String zone = "dest IN MX 10 mx.dest\nmx.dest IN A 127.0.0.2\n" + "_dmarc IN TXT \"v=DMARC1; p=none; psd=y\"\n"

                + ed.zoneFileLine("ed").replace("._domainkey IN", "._domainkey.signed IN") + "\n"
                + rsa.zoneFileLine("rsa").replace("._domainkey IN", "._domainkey.signed IN") + "\n";
        try (KnotLab lab = KnotLab.start(dir.resolve("lab"), zone); SmtpSink sink = new SmtpSink(dir, "127.0.0.1")) {
            String unbound = "127.0.0.1:" + lab.startUnbound().getPort();
            Path tls = dir.resolve("tls");
            Files.createDirectories(tls);
            Tls.selfSigned(tls, "relay.src.test");
            Files.writeString(dir.resolve("passwords"), PasswordFile.entry("alice", "alice-secret") + "\n"
                    + PasswordFile.entry("bob", "bob-secret") + "\n");
            Files.writeString(dir.resolve("sender_logins"), "alice@" + SIGNED + " alice\n@other.good.test bob\n");

            Map<String, String> receiver = new LinkedHashMap<>();
            receiver.put("hostname", "mx.dest.good.test");
            receiver.put("queue_directory", dir.resolve("receiver/queue").toString());
            receiver.put("listeners", "mx");
            receiver.put("listener.mx.role", "mx");
            receiver.put("listener.mx.address", "127.0.0.2:" + mx);
            receiver.put("local_domains", "dest.good.test");
            receiver.put("route.dest.good.test", "[127.0.0.1]:" + sink.port);
            receiver.put("dnssec", "validate");
            receiver.put("dnssec_trust_anchor_file", lab.trustAnchors.toString());
            receiver.put("dnssec_trust_anchor_replace_root", "yes");
            receiver.put("dns_resolvers", unbound);

            int submission = Loopback.freePort("127.0.0.1");
            Map<String, String> sender = new LinkedHashMap<>();
            sender.put("hostname", "relay.src.test");
            sender.put("queue_directory", dir.resolve("sender/queue").toString());
            sender.put("listeners", "submission");
            sender.put("listener.submission.role", "submission");
            sender.put("listener.submission.address", "127.0.0.1:" + submission);
            sender.put("tls_cert_file", tls.resolve("cert.pem").toString());
            sender.put("tls_key_file", tls.resolve("key.pem").toString());
            sender.put("sasl_password_file", dir.resolve("passwords").toString());
            sender.put("sender_login_maps", dir.resolve("sender_logins").toString());
            sender.put("trusted_networks", "127.0.0.9/32"); // not the test's address: swaks must log in
            sender.put("dkim_key." + SIGNED, "ed:" + keys.resolve("ed.pem") + ", rsa:" + keys.resolve("rsa.pem"));
            sender.put("dnssec", "off");
            sender.put("dns_resolvers", "127.0.0.1:" + lab.address.getPort());
            sender.put("route.dest.good.test", "dest.good.test:" + mx);
            try (SealpostProcess mxSide = new SealpostProcess(dir.resolve("receiver"), receiver).start();
                    SealpostProcess relay = new SealpostProcess(dir.resolve("sender"), sender).start()) {
                Swaks alice = swaks(submission, "alice", "alice-secret", "alice@" + SIGNED, "alice@" + SIGNED, "alice-token");
                assertEquals(0, alice.status, alice.transcript);
                sink.awaitMessage("alice-token", Duration.ofSeconds(30));
                relay.awaitLine("DKIM-Signature field added \\(\\[d=" + SIGNED + ", s=ed, a=ed25519, d=" + SIGNED
                        + ", s=rsa, a=rsa\\]\\)", Duration.ofSeconds(5));
                String edPass = mxSide.awaitLine("dkim=pass header.d=" + SIGNED + " header.s=ed header.a=ed25519-sha256",
                        Duration.ofSeconds(10));
                assertTrue(edPass.contains("(key SECURE)"), edPass);
                mxSide.awaitLine("dkim=pass header.d=" + SIGNED + " header.s=rsa header.a=rsa-sha256", Duration.ofSeconds(5));

                // bob owns the addresses of other.good.test only.
                Swaks header = swaks(submission, "bob", "bob-secret", "bob@other.good.test", "alice@" + SIGNED, "bob-token");
                assertTrue(header.transcript.contains("550 5.7.1 <alice@" + SIGNED + ">: From address not owned by user bob"),
                        header.transcript);
                Swaks envelope = swaks(submission, "bob", "bob-secret", "alice@" + SIGNED, "bob@other.good.test", "bob-2");
                assertTrue(envelope.transcript.contains("553 5.7.1 <alice@" + SIGNED
                        + ">: Sender address rejected: not owned by user bob"), envelope.transcript);
                Swaks unsigned = swaks(submission, "bob", "bob-secret", "bob@other.good.test", "bob@other.good.test", "bob-3");
                assertEquals(0, unsigned.status, unsigned.transcript);
                sink.awaitMessage("bob-3", Duration.ofSeconds(30));
                mxSide.awaitLine("checks: from=<bob@other.good.test>.*; dkim=none;", Duration.ofSeconds(5));
                Thread.sleep(300);
                assertFalse(sink.messages().stream().anyMatch(m -> m.contains("bob-token") || m.contains("bob-2")),
                        "a refused message was relayed");
                String received = sink.awaitMessage("alice-token", Duration.ofSeconds(1));
                assertEquals(2, received.split("DKIM-Signature:", -1).length - 1, received);
            }
        }
    }

    private record Swaks(int status, String transcript) {
    }

    private static Swaks swaks(int port, String user, String password, String envelopeFrom, String headerFrom, String token)
            throws Exception {
        Peers.require("swaks", "/usr/bin/swaks");
        List<String> command = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1:" + port, "--tls",
                "--auth", "PLAIN", "--auth-user", user, "--auth-password", password,
                "--from", envelopeFrom, "--to", "carol@dest.good.test",
                "--header", "From: " + headerFrom, "--header", "Subject: " + token, "--body", token));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String transcript = new String(process.getInputStream().readAllBytes());
        process.waitFor(60, TimeUnit.SECONDS);
        return new Swaks(process.exitValue(), transcript);
    }
}
