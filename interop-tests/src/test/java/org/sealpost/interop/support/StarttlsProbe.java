package org.sealpost.interop.support;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One new STARTTLS session with a listener, as a peer meets it: the key of the certificate it
 * presents (SPKI SHA-256, hex, as in TLSA 3 1 1) and the XKEYS key set it serves (docs/xkeys.md).
 */
public record StarttlsProbe(String presentedKey, String keySet) {

    public static StarttlsProbe of(String host, int port) throws Exception {
        try (Socket plain = new Socket(host, port)) {
            plain.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = plain.getOutputStream();
            reply(in);
            command(out, "EHLO probe.test");
            reply(in);
            command(out, "STARTTLS");
            String ready = reply(in).get(0);
            if (!ready.startsWith("220")) {
                throw new AssertionError("STARTTLS refused: " + ready);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new Looking()}, null);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
                tls.startHandshake();
                X509Certificate leaf = (X509Certificate) tls.getSession().getPeerCertificates()[0];
                BufferedReader tlsIn = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream tlsOut = tls.getOutputStream();
                command(tlsOut, "EHLO probe.test");
                reply(tlsIn);
                command(tlsOut, "XKEYS");
                List<String> lines = reply(tlsIn);
                StringBuilder base64 = new StringBuilder();
                for (String line : lines.subList(1, Math.max(1, lines.size() - 1))) {
                    base64.append(line.substring(4));
                }
                command(tlsOut, "QUIT");
                return new StarttlsProbe(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(leaf.getPublicKey().getEncoded())),
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

    /** The probe looks at the certificate presented; it does not judge it. */
    private static final class Looking implements X509TrustManager {
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
