package org.sealpost.transport.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.keyexchange.pins.KeySet;
import org.sealpost.transport.cli.Main;
import org.sealpost.transport.config.Config;
import picocli.CommandLine;

/** STARTTLS client -> Relay (mx listener), whose certificates and keys are reloaded while it runs. */
class RelayReloadTest {

    @TempDir
    Path dir;

    private Relay relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    private void keygen(String name) {
        assertEquals(0, new CommandLine(new Main()).execute("tls", "keygen", "--name", "mx.example.test",
                "--key-out", dir.resolve(name + "-key.pem").toString(), "--cert-out", dir.resolve(name + "-cert.pem").toString()));
    }

    private Config config(String current, String... extra) throws Exception {
        List<String> lines = new ArrayList<>(List.of("hostname = mx.example.test", "queue_directory = " + dir.resolve("queue"),
                "listeners = mx", "listener.mx.role = mx", "listener.mx.address = 127.0.0.1:0", "local_domains = example.test",
                "tls_cert_file = " + dir.resolve(current + "-cert.pem"), "tls_key_file = " + dir.resolve(current + "-key.pem")));
        lines.addAll(List.of(extra));
        return Config.parse(dir.resolve("sealpost.conf"), lines);
    }

    private String spki(String name) throws Exception {
        try (InputStream in = Files.newInputStream(dir.resolve(name + "-cert.pem"))) {
            return KeySet.spkiSha256(CertificateFactory.getInstance("X.509").generateCertificate(in).getPublicKey());
        }
    }

    /** What one new STARTTLS session meets: the key of the certificate presented, and the key set of XKEYS. */
    private record Seen(String presentedKey, String keySet) {
    }

    private Seen starttls() throws Exception {
        InetSocketAddress mx = relay.boundAddresses().get("mx");
        try (Socket plain = new Socket(mx.getAddress(), mx.getPort())) {
            plain.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = plain.getOutputStream();
            reply(in);
            command(out, "EHLO client.test");
            reply(in);
            command(out, "STARTTLS");
            assertTrue(reply(in).get(0).startsWith("220"));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustingManager()}, null);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "mx.example.test", mx.getPort(), true)) {
                tls.startHandshake();
                X509Certificate presented = (X509Certificate) tls.getSession().getPeerCertificates()[0];
                BufferedReader tlsIn = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream tlsOut = tls.getOutputStream();
                command(tlsOut, "EHLO client.test");
                reply(tlsIn);
                command(tlsOut, "XKEYS");
                List<String> lines = reply(tlsIn);
                StringBuilder base64 = new StringBuilder();
                for (String line : lines.subList(1, lines.size() - 1)) {
                    base64.append(line.substring(4));
                }
                return new Seen(KeySet.spkiSha256(presented.getPublicKey()),
                        new String(Base64.getDecoder().decode(base64.toString()), StandardCharsets.UTF_8));
            }
        }
    }

    private static void command(OutputStream out, String command) throws Exception {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static List<String> reply(BufferedReader in) throws Exception {
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = in.readLine();
            lines.add(line);
        } while (line != null && line.length() > 3 && line.charAt(3) == '-');
        return lines;
    }

    @Test
    void nextCertificateAddedToTheConfiguration_isAnnouncedAtReload_andTheSwitchIsPresentedAtTheNextReload()
            throws Exception {
        keygen("now");
        relay = Relay.start(config("now"));
        Seen before = starttls();
        assertEquals(spki("now"), before.presentedKey());
        assertTrue(!before.keySet().contains("next-key"), before.keySet());

        keygen("next"); // as `sealpost tls next-key` makes it, into a tls_next_cert_file new to the configuration
        String line = relay.reload(config("now", "tls_next_cert_file = " + dir.resolve("next-cert.pem"),
                "tls_next_key_file = " + dir.resolve("next-key.pem")));
        assertTrue(line.contains("tls_next_cert_file " + dir.resolve("next-cert.pem")), line);
        Seen announced = starttls();
        assertEquals(spki("now"), announced.presentedKey());
        assertTrue(announced.keySet().contains("\nnext-key spki-sha256 " + spki("next") + "\n"), announced.keySet());

        relay.reload(config("next"));
        Seen switched = starttls();
        assertEquals(spki("next"), switched.presentedKey(), "a new STARTTLS presents the new certificate");
        assertTrue(switched.keySet().contains("\ntls-key spki-sha256 " + spki("next") + "\n"), switched.keySet());
    }

    @Test
    void reloadOfAMismatchedPair_failsAndKeepsTheCertificateInUse() throws Exception {
        keygen("now");
        keygen("other");
        relay = Relay.start(config("now"));
        Config mismatched = Config.parse(dir.resolve("sealpost.conf"), List.of("hostname = mx.example.test",
                "queue_directory = " + dir.resolve("queue"), "listeners = mx", "listener.mx.role = mx",
                "listener.mx.address = 127.0.0.1:0", "local_domains = example.test",
                "tls_cert_file = " + dir.resolve("other-cert.pem"), "tls_key_file = " + dir.resolve("now-key.pem")));
        String message = assertThrows(StartupFailure.class, () -> relay.reload(mismatched)).getMessage();
        assertTrue(message.contains("does not match tls_key_file"), message);
        Seen after = starttls();
        assertEquals(spki("now"), after.presentedKey());
        assertTrue(after.keySet().contains("\ntls-key spki-sha256 " + spki("now") + "\n"), after.keySet());
    }

    /** The test looks at the certificate presented; it does not judge it. */
    private static final class TrustingManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
