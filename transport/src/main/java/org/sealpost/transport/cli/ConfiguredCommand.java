package org.sealpost.transport.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.config.ConfigException;
import picocli.CommandLine.Option;

/** A command that works from the configuration file: it is read and checked first, errors exit 2. */
abstract class ConfiguredCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the configuration file")
    Path config;

    @Override
    public final Integer call() throws Exception {
        Config settings;
        try {
            settings = Config.load(config);
        } catch (ConfigException e) {
            Main.printConfigurationErrors(e);
            return Main.CONFIG_ERROR;
        }
        return run(settings);
    }

    abstract int run(Config settings) throws Exception;
}
