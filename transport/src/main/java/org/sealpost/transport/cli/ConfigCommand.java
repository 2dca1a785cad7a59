package org.sealpost.transport.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.config.ConfigException;
import org.sealpost.transport.relay.StartChecks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sealpost config check} and {@code sealpost config show}: the configuration file as Sealpost
 * reads it, like {@code postfix check} and {@code postconf -n} / {@code postconf -d}.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Checks or shows a configuration file (docs/operations.md, \"Checking a configuration\").",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Show.class})
final class ConfigCommand {

    /** Where a Debian package puts the file. */
    static final String DEFAULT_FILE = "/etc/sealpost/sealpost.conf";

    /** Exit status of a check that found warnings only. */
    static final int WARNINGS = 1;

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Reports every error of the file in one pass, then what a start would fail on (key files, a "
            + "certificate that does not match its key, listener addresses in use, queue_directory) or what would go "
            + "wrong later (a local domain without a route). One line per finding, errors first, then a summary. "
            + "Exit status 0 when clean, 1 with warnings only, 2 with errors.")
    static final class Check implements Callable<Integer> {

        @Option(names = "--config", paramLabel = "FILE", defaultValue = DEFAULT_FILE,
                description = "the configuration file (default: ${DEFAULT-VALUE})")
        Path config;

        @Override
        public Integer call() {
            List<String> errors = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            try {
                Config.Reading reading = Config.read(config);
                errors.addAll(reading.errors());
                // The checks of the world go on beside syntax errors: each value in error has its default.
                if (reading.config() != null) {
                    warnings.addAll(StartChecks.of(reading.config()));
                }
            } catch (ConfigException e) { // the file itself cannot be read
                errors.addAll(e.problems());
            }
            errors.forEach(System.out::println);
            warnings.forEach(warning -> System.out.println(config + ": warning: " + warning));
            System.out.println(config + ": " + count(errors.size(), "error") + ", " + count(warnings.size(), "warning"));
            return !errors.isEmpty() ? Main.CONFIG_ERROR : !warnings.isEmpty() ? WARNINGS : 0;
        }

        private static String count(int n, String what) {
            return n + " " + what + (n == 1 ? "" : "s");
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Prints the keys set in the file, one 'key = value' a line, sorted, relative paths taken from "
            + "the file's folder (like postconf -n); with --defaults, every key with its default instead (like "
            + "postconf -d). Errors of the file go to standard error, and the exit status is then 2.")
    static final class Show implements Callable<Integer> {

        @Option(names = "--config", paramLabel = "FILE", defaultValue = DEFAULT_FILE,
                description = "the configuration file (default: ${DEFAULT-VALUE})")
        Path config;

        @Option(names = "--defaults", description = "every key with no per-name part (listener.NAME.*, route.DOMAIN, "
                + "... have none) and its default value; the file is not read")
        boolean defaults;

        @Override
        public Integer call() {
            if (defaults) {
                print(Config.defaults());
                return 0;
            }
            Config.Reading reading;
            try {
                reading = Config.read(config);
            } catch (ConfigException e) {
                Main.printConfigurationErrors(e);
                return Main.CONFIG_ERROR;
            }
            print(reading.set());
            reading.errors().forEach(error -> System.err.println("sealpost: configuration error: " + error));
            return reading.errors().isEmpty() ? 0 : Main.CONFIG_ERROR;
        }

        private static void print(Map<String, String> settings) {
            settings.forEach((key, value) -> System.out.println(value.isEmpty() ? key + " =" : key + " = " + value));
        }
    }
}
