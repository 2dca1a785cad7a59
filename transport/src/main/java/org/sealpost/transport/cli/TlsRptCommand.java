package org.sealpost.transport.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.PlainDnsResolver;
import org.sealpost.signing.dkim.SigningKey;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.queue.StoppedSpoolWriter;
import org.sealpost.transport.tlsrpt.ReportSettings;
import org.sealpost.transport.tlsrpt.TlsReporting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sealpost tlsrpt flush}: sends the TLS reports (RFC 8460) pending now (docs/tlsrpt.md). */
@Command(name = "tlsrpt", mixinStandardHelpOptions = true, description = "TLS reports (RFC 8460, docs/tlsrpt.md).",
        subcommands = TlsRptCommand.Flush.class)
final class TlsRptCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return Main.CONFIG_ERROR;
    }

    @Command(name = "flush", mixinStandardHelpOptions = true, description = "Sends the reports of the completed UTC "
            + "days now: looks up each policy domain's _smtp._tls record, queues the mail reports (sent when the relay "
            + "starts) and POSTs the https ones; one line per report. Runs on a stopped relay's queue_directory. Exit "
            + "status 0 when every report went, 1 when some wait for a later run or the queue is in use, 2 for a "
            + "configuration error.")
    static final class Flush extends ConfiguredCommand {

        @Option(names = "--include-today", description = "also report today's sessions so far (they are then not "
                + "reported again at the end of the day)")
        boolean includeToday;

        @Option(names = "--dns-zone", paramLabel = "FILE", description = "look the _smtp._tls records up in this "
                + "master-format zone file (repeatable) instead of through dns_resolvers")
        List<Path> zones = new ArrayList<>();

        @Override
        int run(Config config) throws Exception {
            if (config.tlsrpt().isEmpty()) {
                System.err.println("sealpost tlsrpt: TLS reporting is off in " + config.file() + ": set tlsrpt_from and "
                        + "tlsrpt_organization to turn it on (docs/tlsrpt.md)");
                return Main.CONFIG_ERROR;
            }
            ReportSettings settings;
            DnsResolver dns;
            try {
                settings = settings(config);
                dns = zones.isEmpty() ? new PlainDnsResolver(config.dnsResolvers(), config.dns().timeout())
                        : ZoneFileDns.read(zones);
            } catch (IOException | GeneralSecurityException e) {
                System.err.println("sealpost tlsrpt: " + e.getMessage());
                return Main.CONFIG_ERROR;
            }
            Path directory = config.queueDirectory();
            StoppedSpoolWriter spool;
            try {
                spool = StoppedSpoolWriter.open(directory);
            } catch (IOException e) {
                System.err.println("sealpost tlsrpt: cannot lock queue_directory " + directory + " (" + e.getMessage()
                        + "); run the command as the user Sealpost runs as");
                return Main.STARTUP_FAILURE;
            }
            if (spool == null) {
                // The running relay keeps the day's counts in memory and writes them every minute; writing
                // beside it would lose counts, so the command waits for a stopped relay (docs/tlsrpt.md).
                System.err.println("sealpost tlsrpt: queue_directory " + directory + " is in use by a running Sealpost "
                        + "(pid " + StoppedSpoolWriter.holder(directory) + "); flushing through a running relay is not "
                        + "supported yet: stop it, run the command, and start it again (the mail reports go out then)");
                return Main.STARTUP_FAILURE;
            }
            List<String> lines;
            try (spool; TlsReporting reporting = TlsReporting.open(directory)) {
                lines = reporting.send(settings, dns, spool, includeToday);
            } catch (IOException e) {
                System.err.println("sealpost tlsrpt: cannot read or write the counts in " + TlsReporting.directory(directory)
                        + " (" + e.getMessage() + "); run the command as the user Sealpost runs as");
                return Main.STARTUP_FAILURE;
            }
            lines.forEach(System.out::println);
            if (lines.isEmpty()) {
                System.out.println("tlsrpt: nothing to report");
            }
            return lines.stream().anyMatch(line -> line.endsWith("kept for the next run")) ? 1 : 0;
        }

        private static ReportSettings settings(Config config) throws IOException, GeneralSecurityException {
            Config.TlsRpt tlsrpt = config.tlsrpt().orElseThrow();
            List<SigningKey> keys = new ArrayList<>();
            for (Config.DkimKey key : config.dkim().domainKeys().getOrDefault(tlsrpt.domain(), List.of())) {
                String pem;
                try {
                    pem = Files.readString(key.file(), StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    throw new IOException("dkim_key." + tlsrpt.domain() + ": cannot read " + key.file() + " ("
                            + e.getMessage() + "); the reports are signed with it", e);
                }
                keys.add(SigningKey.fromPem(tlsrpt.domain(), key.selector(), pem));
            }
            SSLContext tls;
            try {
                tls = TlsReporting.trusting(config.tlsCaFile().orElse(null));
            } catch (IOException | GeneralSecurityException e) {
                throw new IOException("tls_ca_file " + config.tlsCaFile().orElse(null) + ": cannot load the certificate "
                        + "authorities (" + e.getMessage() + "); expected PEM certificates", e);
            }
            return new ReportSettings(tlsrpt.from(), tlsrpt.organization(), tlsrpt.contact(), config.hostname(), keys, tls);
        }
    }
}
