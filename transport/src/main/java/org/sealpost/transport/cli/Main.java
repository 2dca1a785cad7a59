package org.sealpost.transport.cli;

import java.io.Console;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.config.ConfigException;
import org.sealpost.transport.relay.Relay;
import org.sealpost.transport.relay.StartupFailure;
import org.sealpost.transport.sasl.PasswordFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code sealpost} command. */
@Command(name = "sealpost", mixinStandardHelpOptions = true, version = "sealpost 0.1.0",
        description = "An SMTP relay for the hop between mail servers, beside Postfix.",
        subcommands = {Main.Run.class, Demo.class, Main.Passwd.class, DnsCommand.class, TlsCommand.class, CheckCommand.class,
                PinsCommand.class, DkimCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    /** Exit status of a usage or configuration error. */
    static final int CONFIG_ERROR = 2;

    /** Exit status of an expected failure at start-up (a port in use, a locked queue, ...). */
    static final int STARTUP_FAILURE = 1;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Runs the relay with a configuration file until SIGTERM or SIGINT.")
    static final class Run implements Callable<Integer> {

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "the configuration file")
        Path config;

        @Override
        public Integer call() throws Exception {
            Relay relay;
            try {
                Config settings = Config.load(config);
                settings.logFile().ifPresent(Logging::toFile);
                relay = Relay.start(settings);
            } catch (ConfigException e) {
                System.err.println("sealpost: configuration error: " + e.getMessage());
                return CONFIG_ERROR;
            } catch (StartupFailure e) {
                System.err.println("sealpost: " + e.getMessage());
                return STARTUP_FAILURE;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                relay.close();
                stopped.countDown();
            }, "shutdown"));
            stopped.await();
            return 0;
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
