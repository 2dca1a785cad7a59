package org.sealpost.transport.cli;

import java.io.FileWriter;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `sealpost tls keygen`: a new key and self-signed certificate for a listener, and its TLSA record. */
@Command(name = "tls", mixinStandardHelpOptions = true,
        description = "Keys and certificates of Sealpost's listeners.",
        subcommands = {TlsCommand.Keygen.class, TlsCommand.NextKey.class})
final class TlsCommand {

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Writes a new private key (PKCS#8 PEM, mode 600) and a self-signed "
            + "certificate for NAME, then prints the TLSA 3 1 1 record to publish for it. With DANE-EE(3) the "
            + "certificate's names and dates do not matter to DANE peers (RFC 7672 3.1.1).")
    static final class Keygen implements Callable<Integer> {

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "the host name, e.g. mx.example.net")
        String name;

        @Option(names = "--key-out", required = true, paramLabel = "FILE", description = "where to write the private key")
        Path keyOut;

        @Option(names = "--cert-out", required = true, paramLabel = "FILE", description = "where to write the certificate")
        Path certOut;

        @Option(names = "--algorithm", defaultValue = "ec", paramLabel = "ec|rsa",
                description = "ec (P-256, the default) or rsa (2048 bits)")
        String algorithm;

        @Option(names = "--days", defaultValue = "825", paramLabel = "N", description = "validity of the certificate")
        int days;

        @Option(names = "--port", defaultValue = "25", paramLabel = "N", description = "the port in the printed TLSA name")
        int port;

        /** Set by next-key, which prints the records of every listener itself. */
        boolean quiet;

        @Override
        public Integer call() throws Exception {
            if (!algorithm.equals("ec") && !algorithm.equals("rsa")) {
                System.err.println("sealpost tls keygen: --algorithm is ec or rsa, not '" + algorithm + "'");
                return Main.CONFIG_ERROR;
            }
            if (Files.exists(keyOut) || Files.exists(certOut)) {
                System.err.println("sealpost tls keygen: " + (Files.exists(keyOut) ? keyOut : certOut)
                        + " exists; refusing to overwrite a key in use");
                return Main.CONFIG_ERROR;
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.equals("ec") ? "EC" : "RSA");
            if (algorithm.equals("ec")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            KeyPair keys = generator.generateKeyPair();
            X509Certificate certificate = selfSigned(name, keys, days);
            Files.createFile(keyOut, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            pem(keyOut, keys.getPrivate());
            pem(certOut, certificate);
            if (!quiet) {
                System.out.println("_" + port + "._tcp." + name + ". IN TLSA 3 1 1 " + tlsa311(certificate));
            }
            return 0;
        }
    }

    @Command(name = "next-key", mixinStandardHelpOptions = true,
            description = "Makes the key to roll over to, at tls_next_key_file and "
            + "tls_next_cert_file of the configuration, and prints the TLSA records to publish for the current and the "
            + "next key. A running relay announces the next key in its XKEYS key set at SIGHUP (systemctl reload "
            + "sealpost), or within ten seconds when tls_next_cert_file was already in its configuration, without a "
            + "restart (docs/xkeys.md, 'Rolling a key over').")
    static final class NextKey extends ConfiguredCommand {

        @Option(names = "--algorithm", defaultValue = "ec", paramLabel = "ec|rsa", description = "ec (P-256) or rsa (2048)")
        String algorithm;

        @Option(names = "--days", defaultValue = "825", paramLabel = "N", description = "validity of the certificate")
        int days;

        @Override
        int run(org.sealpost.transport.config.Config settings) throws Exception {
            if (settings.tlsNextCertFile().isEmpty() || settings.tlsNextKeyFile().isEmpty()) {
                System.err.println("sealpost tls next-key: " + config + ": set tls_next_cert_file and tls_next_key_file "
                        + "to where the next key and certificate go, e.g. /etc/sealpost/next-cert.pem and "
                        + "/etc/sealpost/next-key.pem");
                return Main.CONFIG_ERROR;
            }
            Keygen keygen = new Keygen();
            keygen.name = settings.hostname();
            keygen.keyOut = settings.tlsNextKeyFile().get();
            keygen.certOut = settings.tlsNextCertFile().get();
            keygen.algorithm = algorithm;
            keygen.days = days;
            keygen.quiet = true;
            int made = keygen.call();
            if (made != 0) {
                return made;
            }
            System.out.println("# the next key is in " + keygen.keyOut + " and " + keygen.certOut
                    + "; a running relay announces it after SIGHUP (systemctl reload sealpost)");
            System.out.println("# publish both records while peers learn of it:");
            return new CommandLine(new DnsCommand.Records()).execute("--config", config.toString());
        }
    }

    static X509Certificate selfSigned(String name, KeyPair keys, int days) throws Exception {
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + name);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(days))), subject, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, name)));
        String signature = keys.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())));
    }

    /** The data of a TLSA 3 1 1 record: SHA-256 of the SubjectPublicKeyInfo (RFC 7671 5.1). */
    static String tlsa311(X509Certificate certificate) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
    }

    private static void pem(Path file, Object object) throws IOException {
        try (Writer out = new FileWriter(file.toFile(), java.nio.charset.StandardCharsets.US_ASCII);
                JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object instanceof java.security.PrivateKey key
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : object);
        }
    }
}
