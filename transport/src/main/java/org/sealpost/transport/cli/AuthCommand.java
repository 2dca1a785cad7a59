package org.sealpost.transport.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sealpost.cache.DurableStore;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.keyexchange.pins.PinStore;
import org.sealpost.signing.arc.ArcVerifier;
import org.sealpost.signing.arc.TrustedSealers;
import org.sealpost.signing.crypto.ProviderChoice;
import org.sealpost.signing.dkim.DkimVerifier;
import org.sealpost.signing.dkim.VerifierOptions;
import org.sealpost.signing.dmarc.DmarcEvaluator;
import org.sealpost.signing.spf.SpfChecker;
import org.sealpost.signing.spf.SpfDns;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.config.ConfigException;
import org.sealpost.transport.inbound.DmarcMode;
import org.sealpost.transport.inbound.InboundChecks;
import org.sealpost.transport.inbound.InboundVerdict;
import org.sealpost.transport.relay.Relay;
import org.sealpost.transport.smtp.server.ListenerRole;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `sealpost auth check`: the inbound checks of an mx listener on a message from standard input. */
@Command(name = "auth", mixinStandardHelpOptions = true,
        description = "The inbound checks of an mx listener (SPF, DKIM, ARC, DMARC, the verdict) from the shell.",
        subcommands = {AuthCommand.Check.class})
final class AuthCommand {

    /** Exit status of a reject. */
    static final int REJECT = 1;
    /** Exit status of a defer (as sendmail's EX_TEMPFAIL is 75; 4 here, like the 4xx reply). */
    static final int DEFER = 4;

    private AuthCommand() {
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Runs the checks an mx listener runs on the message on standard input, as if the client "
            + "had given --client-ip, --helo and --mail-from, and prints two lines: the Authentication-Results field "
            + "the listener would add (unfolded), and 'verdict: accept', 'verdict: quarantine', 'verdict: reject CODE "
            + "ENHANCED TEXT' or 'verdict: defer CODE ENHANCED TEXT'. --config takes authserv_id, the DKIM settings, "
            + "arc_trusted_sealers and the dmarc_policy of the first mx listener from a configuration. Records come from --dns-zone files, or "
            + "from DNS validated from --trust-anchor through --resolver. Exit status: 0 accept or quarantine, "
            + "1 reject, 4 defer, 2 usage error.")
    static final class Check implements Callable<Integer> {

        @Mixin
        ClientIdentity client = new ClientIdentity();

        @Option(names = "--authserv-id", paramLabel = "ID",
                description = "the authserv-id of the field (default: authserv_id of --config, else this host's name)")
        String authservId;

        @Option(names = "--arc-trusted-sealer", paramLabel = "DOMAIN",
                description = "trust this ARC sealer's dmarc=pass (repeatable; beside arc_trusted_sealers of --config)")
        List<String> arcTrustedSealers = new ArrayList<>();

        @Option(names = "--config", paramLabel = "FILE", description = "take the settings of this configuration")
        Path config;

        @Option(names = "--now", paramLabel = "EPOCH", description = "judge DKIM t= and x= at this time (seconds since 1970)")
        Long now;

        @Mixin
        DnsOptions dnsOptions = new DnsOptions();

        @Override
        public Integer call() throws Exception {
            String problem = client.problem();
            if (problem != null) {
                return usage(problem);
            }
            DnsResolver dns;
            try {
                dns = dnsOptions.resolver();
            } catch (IOException | IllegalArgumentException e) {
                return usage(e.getMessage());
            }
            for (String sealer : arcTrustedSealers) {
                if (!sealer.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)+\\.?")) {
                    return usage("--arc-trusted-sealer is a domain such as lists.example.org, not '" + sealer + "'");
                }
            }
            Clock clock = now == null ? Clock.systemUTC() : Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC);
            InboundChecks checks;
            if (config != null) {
                Config settings;
                try {
                    settings = Config.load(config);
                } catch (ConfigException e) {
                    return usage("configuration error: " + e.getMessage());
                }
                Integer crypto = Main.installCrypto("auth check", settings.cryptoProvider());
                if (crypto != null) {
                    return crypto;
                }
                DmarcMode mode = settings.listeners().stream().filter(l -> l.role() == ListenerRole.MX)
                        .map(Config.Listener::dmarcPolicy).findFirst().orElse(DmarcMode.ENFORCE);
                // The pins the relay made, when queue_directory holds them: the signing policy reads them, never fetches.
                PinStore pins = java.nio.file.Files.isDirectory(settings.pinDirectory())
                        ? new PinStore(new DurableStore(settings.pinDirectory())) : null;
                checks = Relay.inboundChecks(settings, mode, dns, clock,
                        authservId != null ? authservId : settings.authservId(), arcTrustedSealers, pins);
            } else {
                Integer crypto = Main.installCrypto("auth check", ProviderChoice.AUTO);
                if (crypto != null) {
                    return crypto;
                }
                String id = authservId != null ? authservId : hostname();
                VerifierOptions options = VerifierOptions.defaults().withClock(clock);
                checks = new InboundChecks(new SpfChecker(SpfDns.over(dns), id, clock), new DkimVerifier(dns, options),
                        new ArcVerifier(dns, options), new DmarcEvaluator(dns), new TrustedSealers(arcTrustedSealers), id,
                        DmarcMode.ENFORCE);
            }
            byte[] message = DkimCommand.toCrlf(System.in.readAllBytes());
            InboundVerdict verdict;
            try {
                verdict = checks.check(client.address(), client.helo, client.mailFrom, message).get(120, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                System.err.println("sealpost auth check: the checks did not complete: " + (e.getCause() == null ? e
                        : e.getCause()));
                return DEFER;
            }
            System.out.println(verdict.authenticationResults());
            System.out.println(verdict.verdictLine());
            return switch (verdict.action()) {
                case ACCEPT, QUARANTINE -> 0;
                case REJECT -> REJECT;
                case DEFER -> DEFER;
            };
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static int usage(String message) {
        System.err.println("sealpost auth check: " + message);
        return Main.CONFIG_ERROR;
    }
}
