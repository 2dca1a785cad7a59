package org.sealpost.transport.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.Security;
import org.sealpost.signing.arc.ArcResult;
import org.sealpost.signing.arc.ArcSealer;
import org.sealpost.signing.crypto.ProviderChoice;
import org.sealpost.signing.arc.ArcSetResult;
import org.sealpost.signing.arc.ArcStatus;
import org.sealpost.signing.arc.ArcVerifier;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.SignerOptions;
import org.sealpost.signing.dkim.SigningKey;
import org.sealpost.signing.dkim.VerifierOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `sealpost arc verify|sign`: ARC (RFC 8617) validation and sealing from the shell, with the validator
 * and sealer the relay uses. Messages come on standard input with LF or CRLF line ends; sign writes
 * the message back with the line ends it came with.
 */
@Command(name = "arc", mixinStandardHelpOptions = true,
        description = "ARC (RFC 8617) chain validation and sealing with Sealpost's validator and sealer.",
        subcommands = {ArcCommand.Verify.class, ArcCommand.Sign.class})
final class ArcCommand {

    private ArcCommand() {
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Reads a message on standard input and validates its ARC chain (RFC 8617 5.2). The first "
            + "line is 'arc=none', 'arc=pass' or 'arc=fail' and the reason; then one line per set, i=1 first: "
            + "'set i=N cv=CV seal=d/s (RESULT, key SECURITY) ams=d/s (RESULT, key SECURITY) aar=PAYLOAD', RESULT "
            + "being pass, fail or 'not checked'. Keys come from --dns-zone files, or from DNS validated from "
            + "--trust-anchor (default: the root anchors) through --resolver (default: /etc/resolv.conf). "
            + "Exit status: 0 none or pass, 1 fail, 2 usage error.")
    static final class Verify implements Callable<Integer> {

        @Mixin
        DnsOptions dnsOptions = new DnsOptions();

        @Option(names = "--now", paramLabel = "EPOCH", description = "judge t= and x= at this time (seconds since 1970)")
        Long now;

        @Override
        public Integer call() throws Exception {
            Integer crypto = Main.installCrypto("arc verify", ProviderChoice.AUTO);
            if (crypto != null) {
                return crypto;
            }
            DnsResolver dns;
            try {
                dns = dnsOptions.resolver();
            } catch (IOException | IllegalArgumentException e) {
                return usage("verify", e.getMessage());
            }
            byte[] input = System.in.readAllBytes();
            if (input.length == 0) {
                return usage("verify", "standard input is empty; give the message to validate on standard input");
            }
            ArcResult result = validate(dns, options(now), DkimCommand.toCrlf(input));
            System.out.println(firstLine(result));
            for (ArcSetResult set : result.sets()) {
                System.out.println("set i=" + set.instance() + " cv=" + set.cv().tag() + " seal=" + set.domain() + "/"
                        + set.selector() + " (" + checked(set.seal(), set.sealKeySecurity()) + ") ams="
                        + set.messageDomain() + "/" + set.messageSelector() + " ("
                        + checked(set.messageSignature(), set.messageKeySecurity()) + ") aar="
                        + set.authenticationResults());
            }
            return result.status() == ArcStatus.FAIL ? 1 : 0;
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Reads a message on standard input, validates its ARC chain, and writes it to standard "
            + "output with our ARC set on top (RFC 8617 5.1): ARC-Seal (cv= from the validation; on a failed chain "
            + "cv=fail over our set only), ARC-Message-Signature and ARC-Authentication-Results. The payload of "
            + "the last is the message's own Authentication-Results field with --authserv-id (the topmost, if "
            + "several); without one it is '<authserv-id>; arc=RESULT' from the validation alone, and a note says so "
            + "on standard error. Exit status: 0 sealed, 2 usage or input error (unreadable key, no From field, "
            + "already 50 sets, a chain whose newest seal already says cv=fail).")
    static final class Sign implements Callable<Integer> {

        @Option(names = "--domain", required = true, paramLabel = "D", description = "the sealing domain (d=)")
        String domain;

        @Option(names = "--selector", required = true, paramLabel = "S", description = "the selector (s=)")
        String selector;

        @Option(names = "--key", required = true, paramLabel = "FILE",
                description = "the private key: PKCS#8 or PKCS#1 PEM, or a base64 Ed25519 seed (sealpost dkim keygen)")
        Path keyFile;

        @Option(names = "--authserv-id", required = true, paramLabel = "ID",
                description = "our authserv-id: the Authentication-Results field with it becomes the new "
                        + "ARC-Authentication-Results")
        String authservId;

        @Option(names = "--headers", paramLabel = "h1:h2:...",
                description = "the header fields the ARC-Message-Signature signs (default: as sealpost dkim sign)")
        String headers;

        @Mixin
        DnsOptions dnsOptions = new DnsOptions();

        @Option(names = "--now", paramLabel = "EPOCH", description = "validate, and write t=, at this time")
        Long now;

        @Override
        public Integer call() throws Exception {
            Integer crypto = Main.installCrypto("arc sign", ProviderChoice.AUTO);
            if (crypto != null) {
                return crypto;
            }
            if (authservId.isBlank() || authservId.contains(";")) {
                return usage("sign", "--authserv-id is a name such as mx.example.com, not '" + authservId + "'");
            }
            SigningKey key;
            try {
                key = SigningKey.of(domain, selector, DkimKeys.readPrivateKey(Files.readString(keyFile,
                        StandardCharsets.US_ASCII)));
            } catch (NoSuchFileException e) {
                return usage("sign", keyFile + ": no such key file (make one with sealpost dkim keygen)");
            } catch (IOException | GeneralSecurityException e) {
                return usage("sign", keyFile + ": cannot read the private key: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                return usage("sign", keyFile + ": " + e.getMessage());
            }
            SignerOptions options = SignerOptions.defaults();
            if (now != null) {
                options = options.withClock(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC));
            }
            if (headers != null) {
                List<String> names = Arrays.stream(headers.split(":")).map(String::strip).filter(h -> !h.isEmpty())
                        .toList();
                if (names.isEmpty()) {
                    return usage("sign", "--headers names no field; give names separated by colons, e.g. "
                            + "From:To:Subject:Date");
                }
                options = options.withHeaders(names);
            }
            DnsResolver dns;
            try {
                dns = dnsOptions.resolver();
            } catch (IOException | IllegalArgumentException e) {
                return usage("sign", e.getMessage());
            }
            byte[] input = System.in.readAllBytes();
            if (input.length == 0) {
                return usage("sign", "standard input is empty; give the message to seal on standard input");
            }
            byte[] message = DkimCommand.toCrlf(input);
            ArcResult chain = validate(dns, options(now), message);
            System.err.println("sealpost arc sign: existing chain: " + firstLine(chain));
            String payload = OwnResults.find(message, authservId);
            if (payload == null) {
                payload = authservId + "; " + chain.toAuthenticationResults();
                System.err.println("sealpost arc sign: the message has no Authentication-Results field with "
                        + "authserv-id " + authservId + "; the ARC-Authentication-Results say only what this "
                        + "validation found: " + payload);
            }
            String fields;
            try {
                fields = new ArcSealer(key, options).seal(message, chain, payload);
            } catch (IllegalArgumentException e) {
                return usage("sign", "standard input: " + e.getMessage());
            }
            byte[] sealed = DkimCommand.concat(fields.getBytes(StandardCharsets.ISO_8859_1), message);
            PrintStream stdout = System.out;
            stdout.write(DkimCommand.usesCrlf(input) ? sealed : DkimCommand.toLf(sealed));
            stdout.flush();
            return 0;
        }
    }

    private static VerifierOptions options(Long now) {
        VerifierOptions options = VerifierOptions.defaults();
        return now == null ? options : options.withClock(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC));
    }

    private static ArcResult validate(DnsResolver dns, VerifierOptions options, byte[] message) throws Exception {
        try {
            return new ArcVerifier(dns, options).verify(message).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return new ArcResult(ArcStatus.FAIL, "the validation did not complete: " + (e.getCause() == null ? e
                    : e.getCause()), true, 0, List.of());
        }
    }

    /** "pass, key SECURE", or "not checked" for a signature the validation did not reach. */
    private static String checked(ArcStatus status, Security security) {
        return status == ArcStatus.NONE ? "not checked" : status.tag() + (security == null ? "" : ", key " + security);
    }

    /** "arc=RESULT (reason)": for a pass, what it rests on and oldest-pass. */
    private static String firstLine(ArcResult result) {
        return switch (result.status()) {
            case NONE -> "arc=none (no ARC sets)";
            case PASS -> "arc=pass (" + result.reason() + "; oldest-pass=" + result.oldestPass() + ")";
            case FAIL -> "arc=fail (" + result.reason() + (result.temporary() ? "; temporary" : "") + ")";
        };
    }

    private static int usage(String command, String message) {
        System.err.println("sealpost arc " + command + ": " + message);
        return Main.CONFIG_ERROR;
    }
}
