package org.sealpost.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * test -> sealpost A (submission, RSA-2048 DKIM signing) -> STARTTLS -> sealpost B (mx, verifies, key from knotd via unbound) -> smtp-sink
 * <p>
 * Both relays run as a user runs them, through ./sealpost with the JVM defaults of
 * packaging/jvm.options. One message with a 45 MiB base64 attachment (under the default
 * message_size_limit of 50 MiB) must arrive whole, signed by A and verified dkim=pass by B, and
 * neither relay's resident memory may have gone over 600 MiB on the way (VmHWM, /proc/PID/status):
 * content streams through both hops, and the heap and direct memory limits hold.
 */
class LargeMessageMemoryTest {

    private static final String SIGNED = "big.good.test";
    private static final long LIMIT_KIB = 600L * 1024;

    @TempDir
    Path dir;

    @Test
    void message45MiB_throughTwoRelays_arrivesWhole_dkimPass_andEachRelayStaysUnder600MiB() throws Exception {
        GeneratedKey rsa = DkimKeys.generate(KeyType.RSA, 2048);
        Path key = dir.resolve("rsa.pem");
        Files.writeString(key, rsa.privateKeyPem());
        // good.test as a public suffix under p=none: the DMARC tree walk ends inside the lab.
        String zone = "_dmarc IN TXT \"v=DMARC1; p=none; psd=y\"\n"
                + rsa.zoneFileLine("rsa").replace("._domainkey IN", "._domainkey.big IN") + "\n";
        Path checkout = Path.of("").toAbsolutePath().getParent();
        try (KnotLab lab = KnotLab.start(dir.resolve("lab"), zone); SmtpSink sink = new SmtpSink(dir, "127.0.0.1")) {
            String unbound = "127.0.0.1:" + lab.startUnbound().getPort();
            Path tls = dir.resolve("tls");
            Files.createDirectories(tls);
            Tls.selfSigned(tls, "mx.dest.good.test");

            int mx = Loopback.freePort("127.0.0.2");
            Map<String, String> b = new LinkedHashMap<>();
            b.put("hostname", "mx.dest.good.test");
            b.put("queue_directory", dir.resolve("b/queue").toString());
            b.put("tls_cert_file", tls.resolve("cert.pem").toString());
            b.put("tls_key_file", tls.resolve("key.pem").toString());
            b.put("local_domains", "dest.good.test");
            b.put("listeners", "mx");
            b.put("listener.mx.role", "mx");
            b.put("listener.mx.address", "127.0.0.2:" + mx);
            b.put("route.dest.good.test", "[127.0.0.1]:" + sink.port);
            b.putAll(SealpostProcess.labDnssec(lab.trustAnchors, unbound));

            int submission = Loopback.freePort("127.0.0.1");
            Map<String, String> a = SealpostProcess.submissionRelay("relay.good.test", dir.resolve("a/queue"), submission);
            a.put("trusted_networks", "127.0.0.0/8");
            a.put("dkim_key." + SIGNED, "rsa:" + key);
            a.put("route.dest.good.test", "[127.0.0.2]:" + mx);
            a.put("tls_policy.dest.good.test", "encrypt");
            a.put("dnssec", "off");
            a.put("dns_resolvers", "127.0.0.1:" + lab.address.getPort());

            try (SealpostProcess mxB = new SealpostProcess(dir.resolve("b"), b).throughLauncher(checkout).start();
                    SealpostProcess relayA = new SealpostProcess(dir.resolve("a"), a).throughLauncher(checkout).start()) {
                String attachment = attachment(45 * 1024 * 1024);
                byte[] message = ("From: <alice@" + SIGNED + ">\r\nTo: <bob@dest.good.test>\r\nSubject: large-token\r\n"
                        + "Message-ID: <large@" + SIGNED + ">\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nAttached.\r\n"
                        + "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                        + attachment + "--b--\r\n").getBytes(StandardCharsets.US_ASCII);
                try (SmtpClient client = new SmtpClient("127.0.0.1", submission)) {
                    String reply = client.transact("alice@" + SIGNED, "SIZE=" + message.length,
                            List.of("bob@dest.good.test"), message);
                    assertTrue(reply.startsWith("250"), "A answered " + reply);
                }
                String arrived = sink.awaitMessage("large-token", Duration.ofMinutes(3));
                // smtp-sink writes LF line ends.
                String sentAttachment = attachment.replace("\r\n", "\n");
                assertTrue(arrived.contains("base64\n\n" + sentAttachment + "--b--"), "the attachment did not arrive whole ("
                        + arrived.length() + " characters arrived for " + message.length + " octets sent)");
                relayA.awaitLine("to=<bob@dest.good.test>.* tls=TLSv1\\.3 .*status=sent", Duration.ofSeconds(10));
                mxB.awaitLine("dkim=pass header.d=" + SIGNED + " header.s=rsa", Duration.ofSeconds(10));
                assertTrue(arrived.contains("dkim=pass header.d=" + SIGNED), "no dkim=pass in the arrived header");

                long a1 = highWaterKib(relayA.pid());
                long b1 = highWaterKib(mxB.pid());
                System.out.printf("LargeMessageMemoryTest: %d octets through A and B; VmHWM A %d MiB, B %d MiB%n",
                        message.length, a1 / 1024, b1 / 1024);
                assertTrue(a1 < LIMIT_KIB, "Sealpost A reached " + a1 / 1024 + " MiB resident (VmHWM), the goal is under 600");
                assertTrue(b1 < LIMIT_KIB, "Sealpost B reached " + b1 / 1024 + " MiB resident (VmHWM), the goal is under 600");
            }
        }
    }

    /** Random octets as base64 lines of 76 characters with CRLF, {@code size} characters in all. */
    private static String attachment(int size) {
        byte[] raw = new byte[size / 77 * 57];
        new Random(20261202L).nextBytes(raw);
        return Base64.getMimeEncoder().encodeToString(raw) + "\r\n";
    }

    private static long highWaterKib(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no VmHWM in /proc/" + pid + "/status");
    }
}
