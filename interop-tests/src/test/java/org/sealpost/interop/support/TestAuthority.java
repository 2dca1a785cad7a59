package org.sealpost.interop.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority of the test's own, made with openssl as an operator would: its
 * certificate is what the relay gets as tls_ca_file, and it issues server certificates (a
 * subjectAltName for one DNS name) for the policy host and the MX.
 */
public final class TestAuthority {

    public final Path certificate;
    private final Path key;
    private final Path dir;

    private TestAuthority(Path dir) {
        this.dir = dir;
        this.certificate = dir.resolve("ca.pem");
        this.key = dir.resolve("ca.key");
    }

    /** A new authority in {@code dir} (ca.pem, ca.key). */
    public static TestAuthority create(Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        TestAuthority authority = new TestAuthority(dir);
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=" + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", authority.key.toString(), "-out", authority.certificate.toString());
        return authority;
    }

    /**
     * A server certificate for {@code dnsName}: NAME.pem (leaf then this authority), NAME.key and
     * NAME.p12 (password "secret", for WireMock), all in this authority's folder.
     */
    public Path issue(String fileName, String dnsName) throws Exception {
        Path leafKey = dir.resolve(fileName + ".key");
        Path request = dir.resolve(fileName + ".csr");
        Path leaf = dir.resolve(fileName + ".leaf.pem");
        Path extensions = dir.resolve(fileName + ".ext");
        Files.writeString(extensions, "subjectAltName=DNS:" + dnsName + "\nextendedKeyUsage=serverAuth\n");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + dnsName, "-keyout", leafKey.toString(),
                "-out", request.toString());
        openssl(dir, "x509", "-req", "-in", request.toString(), "-CA", certificate.toString(), "-CAkey", key.toString(),
                "-CAcreateserial", "-days", "30", "-extfile", extensions.toString(), "-out", leaf.toString());
        Path chain = dir.resolve(fileName + ".pem");
        Files.writeString(chain, Files.readString(leaf) + Files.readString(certificate));
        openssl(dir, "pkcs12", "-export", "-in", leaf.toString(), "-inkey", leafKey.toString(), "-certfile",
                certificate.toString(), "-name", "server", "-passout", "pass:secret", "-out",
                dir.resolve(fileName + ".p12").toString());
        return chain;
    }

    private static void openssl(Path dir, String... args) throws Exception {
        Peers.require("openssl", "/usr/bin/openssl");
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + output);
        }
    }
}
