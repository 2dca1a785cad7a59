package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.interop.support.Loopback;
import org.sealpost.interop.support.RunningProcess;
import org.sealpost.interop.support.SealpostCli;
import org.sealpost.interop.support.SealpostProcess;
import org.sealpost.interop.support.ShortProcess;
import org.sealpost.interop.support.StarttlsProbe;
import org.sealpost.interop.support.Tls;

/**
 * operator (edit sealpost.conf, `sealpost tls next-key`, kill -HUP) -> running sealpost mx ->
 * STARTTLS + XKEYS probe: the next key is announced and then switched to, with no restart.
 */
class TlsReloadTest {

    @TempDir
    Path dir;

    @Test
    void nextKeyAddedToARunningRelay_isAnnouncedAfterHup_andTheSwitchIsPresentedAfterTheNextHup() throws Exception {
        Tls.selfSigned(dir, "mx.interop.test");
        int port = Loopback.freePort("127.0.0.1");
        Map<String, String> config = new LinkedHashMap<>();
        config.put("hostname", "mx.interop.test");
        config.put("queue_directory", dir.resolve("queue").toString());
        config.put("listeners", "mx");
        config.put("listener.mx.role", "mx");
        config.put("listener.mx.address", "127.0.0.1:" + port);
        // The sender's domain is in no DNS this test serves: DMARC is reported, never enforced, here.
        config.put("listener.mx.dmarc_policy", "report");
        config.put("local_domains", "interop.test");
        config.put("tls_cert_file", dir.resolve("cert.pem").toString());
        config.put("tls_key_file", dir.resolve("key.pem").toString());
        try (SealpostProcess relay = new SealpostProcess(dir.resolve("run"), config).start()) {
            RunningProcess process = relay.process();
            String current = Tls.spkiSha256(dir.resolve("cert.pem"));
            StarttlsProbe before = StarttlsProbe.of("127.0.0.1", port);
            assertEquals(current, before.presentedKey());
            assertFalse(before.keySet().contains("next-key"), before.keySet());

            // docs/xkeys.md, "Rolling a key over", step 1 on a relay that runs.
            Path nextCert = dir.resolve("next-cert.pem");
            Path nextKey = dir.resolve("next-key.pem");
            Files.write(relay.config(), List.of("tls_next_cert_file = " + nextCert, "tls_next_key_file = " + nextKey),
                    StandardOpenOption.APPEND);
            ShortProcess.Result made = SealpostCli.run(dir, new byte[0], "tls", "next-key", "--config",
                    relay.config().toString());
            assertEquals(0, made.status(), made.describe());
            String next = Tls.spkiSha256(nextCert);
            process.signal("HUP");
            process.awaitLine("XKEYS: next key announced: " + next, Duration.ofSeconds(20));
            process.awaitLine("reload: tls_cert_file " + dir.resolve("cert.pem") + ".*tls_next_cert_file " + nextCert,
                    Duration.ofSeconds(5));
            StarttlsProbe announced = StarttlsProbe.of("127.0.0.1", port);
            assertEquals(current, announced.presentedKey());
            assertTrue(announced.keySet().contains("\nnext-key spki-sha256 " + next + "\n"), announced.keySet());

            // Step 3: switch to the next key.
            Map<String, String> switched = new LinkedHashMap<>(config);
            switched.put("tls_cert_file", nextCert.toString());
            switched.put("tls_key_file", nextKey.toString());
            Files.write(relay.config(), switched.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).toList());
            process.signal("HUP");
            process.awaitLine("reload: tls_cert_file " + nextCert, Duration.ofSeconds(20));
            StarttlsProbe after = StarttlsProbe.of("127.0.0.1", port);
            assertEquals(next, after.presentedKey(), "a new STARTTLS presents the new certificate");
            assertTrue(after.keySet().contains("\ntls-key spki-sha256 " + next + "\n"), after.keySet());
            assertEquals(0, relay.count("was not announced"), relay.output());

            // A broken reload (a certificate of another key) keeps what is in use, and the relay runs on.
            switched.put("tls_key_file", dir.resolve("key.pem").toString());
            Files.write(relay.config(), switched.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).toList());
            process.signal("HUP");
            process.awaitLine("warning: reload failed, the certificates in use stay: tls_cert_file " + nextCert
                    + " does not match tls_key_file", Duration.ofSeconds(20));
            assertEquals(next, StarttlsProbe.of("127.0.0.1", port).presentedKey());
            assertTrue(process.isAlive());
        }
    }
}
