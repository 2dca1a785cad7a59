package org.sealpost.interop.support;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test certificates made with openssl, as an operator would. */
public final class Tls {

    private Tls() {
    }

    /** The TLSA 3 1 1 data of a PEM certificate: SHA-256 of its SubjectPublicKeyInfo, hex. */
    public static String spkiSha256(Path certificatePem) throws Exception {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(certificatePem)) {
            java.security.cert.Certificate certificate = java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(certificate.getPublicKey().getEncoded()));
        }
    }

    /** Writes cert.pem and key.pem (RSA 2048, self-signed for {@code name}) into {@code dir}. */
    public static void selfSigned(Path dir, String name) throws Exception {
        Process process = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-days", "30", "-subj", "/CN=" + name, "-keyout", dir.resolve("key.pem").toString(),
                "-out", dir.resolve("cert.pem").toString())).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("openssl req failed");
        }
    }
}
