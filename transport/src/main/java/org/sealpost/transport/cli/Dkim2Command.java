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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.signing.crypto.ProviderChoice;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.HeaderField;
import org.sealpost.signing.dkim.SigningKey;
import org.sealpost.signing.dkim2.Dkim2Envelope;
import org.sealpost.signing.dkim2.Dkim2Key;
import org.sealpost.signing.dkim2.Dkim2Keys;
import org.sealpost.signing.dkim2.Dkim2PermanentError;
import org.sealpost.signing.dkim2.Dkim2Recipes;
import org.sealpost.signing.dkim2.Dkim2Refusal;
import org.sealpost.signing.dkim2.Dkim2Result;
import org.sealpost.signing.dkim2.Dkim2SignOptions;
import org.sealpost.signing.dkim2.Dkim2Signature;
import org.sealpost.signing.dkim2.Dkim2Signer;
import org.sealpost.signing.dkim2.Dkim2Verdict;
import org.sealpost.signing.dkim2.Dkim2Verifier;
import org.sealpost.signing.dkim2.Dkim2VerifierOptions;
import org.sealpost.signing.dkim2.Dkim2Wire;
import org.sealpost.signing.dkim2.Recipe;
import org.sealpost.signing.dkim2.RecipeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `sealpost dkim2 sign|verify`: DKIM2 chains from the shell (docs/dkim2.md), with the signer and
 * verifier the relay uses. Addresses are bare ({@code --mail-from ''} is the null sender); messages
 * come on standard input with LF or CRLF line ends and are signed and verified in the CRLF form of
 * the wire.
 */
@Command(name = "dkim2", mixinStandardHelpOptions = true,
        description = "DKIM2 signing and verification (draft-ietf-dkim-dkim2-spec-06) with Sealpost's signer and verifier.",
        subcommands = {Dkim2Command.Sign.class, Dkim2Command.Verify.class})
final class Dkim2Command {

    /** Exit status of verify when the chain does not pass, and of sign when it will not sign. */
    static final int NOT_DONE = 1;

    private Dkim2Command() {
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Reads a message on standard input and writes it whole with this hop's DKIM2 fields "
            + "prepended: a Message-Instance where the message has none or has changed, and a DKIM2-Signature for the "
            + "envelope given. A message that already carries a chain is verified first (keys through the DNS options), "
            + "and signed only when it passes; one that was changed since its newest Message-Instance needs "
            + "--revised-from with the version as it arrived, from which the recipe is made. "
            + "Exit status: 0 signed, 1 not signed (the reason on standard error), 2 usage or input error.")
    static final class Sign implements Callable<Integer> {

        @Option(names = "--domain", required = true, paramLabel = "D", description = "the signing domain (d=)")
        String domain;

        @Option(names = "--selector", required = true, paramLabel = "S", description = "the selector")
        String selector;

        @Option(names = "--key", required = true, paramLabel = "FILE",
                description = "the private key: PKCS#8 or PKCS#1 PEM (RSA or Ed25519), as for sealpost dkim sign")
        Path keyFile;

        @Option(names = "--mldsa-selector", paramLabel = "S",
                description = "experimental: the selector of an ML-DSA-44 key, signed beside the first key")
        String mlDsaSelector;

        @Option(names = "--mldsa-key", paramLabel = "FILE", description = "experimental: the ML-DSA-44 private key (PEM)")
        Path mlDsaKeyFile;

        @Option(names = "--mail-from", required = true, paramLabel = "A",
                description = "the MAIL FROM the message is sent with (bare; '' for the null sender)")
        String mailFrom;

        @Option(names = "--rcpt-to", required = true, paramLabel = "B",
                description = "a RCPT TO the message is sent to (bare; repeatable)")
        List<String> rcptTo = new ArrayList<>();

        @Option(names = "--revised-from", paramLabel = "FILE",
                description = "the message as it arrived, before this hop changed it; a recipe recreating it is written")
        Path revisedFrom;

        @Option(names = "--now", paramLabel = "EPOCH", description = "sign at this time (t=, seconds since 1970)")
        Long now;

        @Mixin
        DnsOptions dnsOptions = new DnsOptions();

        @Override
        public Integer call() throws Exception {
            Integer crypto = Main.installCrypto("dkim2 sign", ProviderChoice.AUTO);
            if (crypto != null) {
                return crypto;
            }
            if ((mlDsaSelector == null) != (mlDsaKeyFile == null)) {
                return usage("sign", "--mldsa-selector and --mldsa-key go together");
            }
            List<Dkim2Key> keys = new ArrayList<>();
            try {
                SigningKey key = SigningKey.of(domain, selector, DkimKeys.readPrivateKey(
                        Files.readString(keyFile, StandardCharsets.US_ASCII)));
                keys.add(Dkim2Key.of(key));
                if (mlDsaKeyFile != null) {
                    keys.add(Dkim2Key.mlDsa44(domain, mlDsaSelector, Dkim2Keys.readMlDsa44(
                            Files.readString(mlDsaKeyFile, StandardCharsets.US_ASCII))));
                }
            } catch (NoSuchFileException e) {
                return usage("sign", e.getFile() + ": no such key file (make one with sealpost dkim keygen)");
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                return usage("sign", "cannot read the private key: " + e.getMessage());
            }
            byte[] input = System.in.readAllBytes();
            if (input.length == 0) {
                return usage("sign", "standard input is empty; give the message to sign on standard input");
            }
            byte[] message = DkimCommand.toCrlf(input);
            Clock clock = now == null ? Clock.systemUTC() : Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC);
            Dkim2SignOptions options = Dkim2SignOptions.forEnvelope(new Dkim2Envelope(mailFrom, rcptTo))
                    .withTimestamp(clock.instant().getEpochSecond());
            if (hasChain(message) || revisedFrom != null) {
                byte[] arrived = message;
                if (revisedFrom != null) {
                    try {
                        arrived = DkimCommand.toCrlf(Files.readAllBytes(revisedFrom));
                    } catch (NoSuchFileException e) {
                        return usage("sign", revisedFrom + ": no such file (--revised-from names the message as it arrived)");
                    }
                }
                String refusal = verifyBefore(arrived, clock, revisedFrom == null ? "the message" : revisedFrom.toString());
                if (refusal != null) {
                    System.err.println("sealpost dkim2 sign: " + refusal);
                    return NOT_DONE;
                }
                if (revisedFrom != null) {
                    try {
                        options = options.withRecipe(Recipes.json(arrived, message));
                    } catch (RecipeException e) {
                        System.err.println("sealpost dkim2 sign: no recipe recreates " + revisedFrom + " from standard input: "
                                + e.getMessage());
                        return NOT_DONE;
                    }
                }
            }
            String fields;
            try {
                fields = new Dkim2Signer(keys, clock).sign(message, options);
            } catch (Dkim2Refusal e) {
                System.err.println("sealpost dkim2 sign: " + e.getMessage());
                return NOT_DONE;
            } catch (IllegalArgumentException e) {
                return usage("sign", e.getMessage());
            }
            byte[] signed = DkimCommand.concat(fields.getBytes(StandardCharsets.UTF_8), message);
            PrintStream stdout = System.out;
            stdout.write(DkimCommand.usesCrlf(input) ? signed : DkimCommand.toLf(signed));
            stdout.flush();
            return 0;
        }

        /**
         * -06 9: a hop signs only a chain that verifies. The envelope checked is the one the newest
         * signature records: the hop that received the message has that envelope's transaction behind it.
         */
        private String verifyBefore(byte[] message, Clock clock, String what) throws IOException {
            Dkim2Envelope recorded;
            try {
                recorded = recordedEnvelope(message);
            } catch (Dkim2PermanentError e) {
                return what + ": its DKIM2 chain is damaged: " + e.getMessage();
            }
            if (recorded == null) {
                return null; // --revised-from of a message that had no chain: the arriving version is the first
            }
            DnsResolver dns;
            try {
                dns = dnsOptions.resolver();
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
            Dkim2Result result = verify(dns, clock, message, recorded);
            if (result.verdict() != Dkim2Verdict.PASS) {
                return what + " does not verify (dkim2=" + result.verdict().token() + ": " + result.reason() + ")"
                        + (revisedFrom == null ? "; if this hop changed it, give the version as it arrived with --revised-from"
                        : "");
            }
            return null;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Reads a message on standard input and verifies its DKIM2 chain against the envelope it came "
            + "with. Prints dkim2=pass, fail, permerror, temperror or none, then the reason, then one line per hop, "
            + "oldest first: 'hop N d=DOMAIN mail-from=A rcpt-to=B[,C] RESULT'; with --changes, under each hop the "
            + "changes it made ('changed header Subject', 'removed part 2 application/pdf'). Keys come from --dns-zone "
            + "files, or from DNS validated from --trust-anchor through --resolver. "
            + "Exit status: 0 pass, 1 anything else, 2 usage or input error.")
    static final class Verify implements Callable<Integer> {

        @Option(names = "--mail-from", required = true, paramLabel = "A",
                description = "the MAIL FROM the message arrived with (bare; '' for the null sender)")
        String mailFrom;

        @Option(names = "--rcpt-to", required = true, paramLabel = "B",
                description = "a RCPT TO the message arrived for (bare; repeatable)")
        List<String> rcptTo = new ArrayList<>();

        @Option(names = "--changes", description = "under each hop, the header fields and MIME parts it changed")
        boolean changes;

        @Option(names = "--now", paramLabel = "EPOCH", description = "judge t= at this time (seconds since 1970)")
        Long now;

        @Mixin
        DnsOptions dnsOptions = new DnsOptions();

        @Override
        public Integer call() throws Exception {
            Integer crypto = Main.installCrypto("dkim2 verify", ProviderChoice.AUTO);
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
                return usage("verify", "standard input is empty; give the message to verify on standard input");
            }
            Clock clock = now == null ? Clock.systemUTC() : Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC);
            Dkim2Result result = verify(dns, clock, DkimCommand.toCrlf(input), new Dkim2Envelope(mailFrom, rcptTo));
            System.out.println("dkim2=" + result.verdict().token());
            System.out.println(!result.reason().isEmpty() ? result.reason() : result.verdict() != Dkim2Verdict.PASS ? ""
                    : "every signature of the " + result.hops().size() + (result.hops().size() == 1 ? " hop" : " hops")
                    + " and every Message-Instance verified");
            for (Dkim2Result.Hop hop : result.hops()) {
                String envelope = hop.nextDomain().map(nd -> "nd=" + nd).orElseGet(() -> "mail-from="
                        + bare(hop.mailFrom().orElse("<>")) + " rcpt-to=" + String.join(",", hop.rcptTo().stream()
                                .map(Dkim2Command::bare).toList()));
                System.out.println("hop " + hop.i() + " d=" + hop.domain() + " " + envelope + " " + hop.verdict().token());
                if (changes) {
                    result.changesOf(hop).forEach(change -> System.out.println("  " + change));
                }
            }
            return result.verdict() == Dkim2Verdict.PASS ? 0 : NOT_DONE;
        }
    }

    private static Dkim2Result verify(DnsResolver dns, Clock clock, byte[] message, Dkim2Envelope envelope) {
        Dkim2Verifier verifier = new Dkim2Verifier(dns, Dkim2VerifierOptions.defaults().withClock(clock)
                .withEarlierVersions(Dkim2Recipes.ENGINE));
        try {
            return verifier.verify(message, envelope).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            return new Dkim2Result(Dkim2Verdict.TEMPERROR, "the verification did not complete: "
                    + (e.getCause() == null ? e : e.getCause()), 0, List.of(), List.of());
        }
    }

    /** The envelope the newest DKIM2-Signature records, or null when the message has none. */
    static Dkim2Envelope recordedEnvelope(byte[] message) throws Dkim2PermanentError {
        return Dkim2Envelope.recordedIn(headerFields(message));
    }

    private static boolean hasChain(byte[] message) {
        return headerFields(message).stream().anyMatch(f -> Dkim2Wire.isDkim2(f.name()));
    }

    /** The header fields of a CRLF message, top first. */
    private static List<HeaderField> headerFields(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int end = text.startsWith("\r\n") ? 0 : text.indexOf("\r\n\r\n");
        String header = end < 0 ? text : text.substring(0, end);
        List<HeaderField> fields = new ArrayList<>();
        for (String raw : header.split("\r\n(?![ \t])")) {
            if (raw.indexOf(':') > 0) {
                fields.add(HeaderField.of(raw));
            }
        }
        return fields;
    }

    /** "&lt;a@b&gt;" to "a@b", "&lt;&gt;" to "". */
    private static String bare(String path) {
        return path.startsWith("<") && path.endsWith(">") ? path.substring(1, path.length() - 1) : path;
    }

    /** The recipe that recreates the arriving version from the revised one, as JSON for the signer. */
    private static final class Recipes {
        static String json(byte[] arrived, byte[] revised) throws IOException, RecipeException {
            Path earlier = Files.createTempFile("sealpost-dkim2-arrived", ".eml");
            Path later = Files.createTempFile("sealpost-dkim2-revised", ".eml");
            try {
                Files.write(earlier, arrived);
                Files.write(later, revised);
                return Recipe.between(earlier, later).toString();
            } finally {
                Files.deleteIfExists(earlier);
                Files.deleteIfExists(later);
            }
        }
    }

    private static int usage(String command, String message) {
        System.err.println("sealpost dkim2 " + command + ": " + message);
        return Main.CONFIG_ERROR;
    }
}
