package org.sealpost.transport.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Path;
import java.security.NoSuchProviderException;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.sealpost.signing.crypto.CryptoProviders;
import org.sealpost.signing.crypto.ProviderChoice;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.config.ConfigException;
import org.sealpost.transport.relay.Relay;
import org.sealpost.transport.relay.StartupFailure;
import org.sealpost.transport.sasl.PasswordFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code sealpost} command. */
@Command(name = "sealpost", mixinStandardHelpOptions = true, version = "sealpost 0.1.0",
        description = "An SMTP relay for the hop between mail servers, beside Postfix.",
        subcommands = {Main.Run.class, Demo.class, Main.Passwd.class, DnsCommand.class, TlsCommand.class, CheckCommand.class,
                PinsCommand.class, DkimCommand.class, Dkim2Command.class, SpfCommand.class, DmarcCommand.class, ArcCommand.class,
                AuthCommand.class, ConfigCommand.class, QueueCommand.class, TlsRptCommand.class, JvmTraining.class,
                CommandLine.HelpCommand.class})
public final class Main {

    /** Exit status of a usage or configuration error. */
    static final int CONFIG_ERROR = 2;

    /** Exit status of an expected failure at start-up (a port in use, a locked queue, ...). */
    static final int STARTUP_FAILURE = 1;

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    /** Every error of a configuration file, one per line, as {@code sealpost run} prints them before it exits 2. */
    static void printConfigurationErrors(ConfigException e) {
        e.problems().forEach(problem -> System.err.println("sealpost: configuration error: " + problem));
    }

    /**
     * crypto_provider for a command that signs or verifies (docs/configuration.md): null once the
     * providers are installed, else the exit status after one line that says why.
     */
    static Integer installCrypto(String command, ProviderChoice choice) {
        try {
            CryptoProviders.install(choice);
            return null;
        } catch (NoSuchProviderException e) {
            System.err.println("sealpost " + command + ": " + e.getMessage());
            return STARTUP_FAILURE;
        }
    }

    /**
     * tls_engine for a command that speaks TLS as the relay would (sealpost check --config): null once
     * the engine is chosen, else the exit status after one line that says why.
     */
    static Integer installTls(String command, org.sealpost.transport.tls.TlsEngineChoice choice) {
        try {
            org.sealpost.transport.tls.TlsEngines.install(choice);
            return null;
        } catch (NoSuchProviderException e) {
            System.err.println("sealpost " + command + ": " + e.getMessage());
            return STARTUP_FAILURE;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Runs the relay with a configuration file until SIGTERM or SIGINT (exit status 0). SIGHUP "
            + "reopens log_file and reloads the TLS certificates and keys (docs/operations.md).")
    static final class Run implements Callable<Integer> {

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "the configuration file")
        Path config;

        @Override
        public Integer call() throws Exception {
            try (Signals signals = new Signals()) { // first: a TERM while the relay starts stops it once started
                Relay relay;
                Config settings;
                try {
                    settings = Config.load(config);
                    settings.logFile().ifPresent(Logging::toFile);
                    relay = Relay.start(settings);
                } catch (ConfigException e) {
                    Main.printConfigurationErrors(e);
                    return CONFIG_ERROR;
                } catch (StartupFailure e) {
                    System.err.println("sealpost: " + e.getMessage());
                    return STARTUP_FAILURE;
                }
                while (signals.next() == Signals.Event.RELOAD) {
                    reload(relay, settings.logFile());
                }
                relay.close(); // listeners closed, deliveries in flight given a moment, the queue stays on disk
                return 0;
            }
        }

        /**
         * SIGHUP: opens log_file again (logrotate has moved it), then reads the configuration and the
         * certificates and keys it names. One line says what is in use now, or why the reload failed;
         * a failed reload keeps what the relay had and never stops it.
         */
        private void reload(Relay relay, Optional<Path> logFile) {
            logFile.ifPresent(Logging::reopen);
            String reopened = logFile.map(file -> "log_file " + file + " reopened; ").orElse("");
            try {
                LOG.info("reload: {}{}", reopened, relay.reload(Config.load(config)));
            } catch (ConfigException e) {
                LOG.warn("warning: reload failed, nothing changed: configuration error: {}", String.join("; ", e.problems()));
            } catch (IOException | RuntimeException e) {
                LOG.warn("warning: reload failed, the certificates in use stay: {}", e.getMessage());
            }
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = "Prints a line for sasl_password_file: USER and a salted hash of a "
            + "password read from the terminal (or one line of standard input).")
    static final class Passwd implements Callable<Integer> {

        @Parameters(paramLabel = "USER", description = "the login name")
        String user;

        @Override
        public Integer call() throws Exception {
            if (user.contains(":") || user.isBlank()) {
                System.err.println("sealpost passwd: the login must not be empty or contain ':'");
                return CONFIG_ERROR;
            }
            Console console = System.console();
            String password = console != null ? new String(console.readPassword("password for %s: ", user))
                    : new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                            java.nio.charset.StandardCharsets.UTF_8)).readLine();
            if (password == null || password.isEmpty()) {
                System.err.println("sealpost passwd: no password given");
                return CONFIG_ERROR;
            }
            System.out.println(PasswordFile.entry(user, password));
            return 0;
        }
    }
}
