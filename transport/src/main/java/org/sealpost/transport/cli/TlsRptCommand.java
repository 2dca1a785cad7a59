package org.sealpost.transport.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.PlainDnsResolver;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.queue.QueueControl;
import org.sealpost.transport.queue.QueueReply;
import org.sealpost.transport.queue.QueueRequest;
import org.sealpost.transport.queue.StoppedSpoolWriter;
import org.sealpost.transport.relay.TlsRptSettings;
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
            + "days now: looks up each policy domain's _smtp._tls record, queues the mail reports and POSTs the https "
            + "ones; one line per report. With the relay running, the relay sends them through its control socket "
            + "(today's so far included); with it stopped, the mail reports wait in the spool until it starts. Exit "
            + "status 0 when every report went, 1 when some wait for a later run or the relay cannot be reached, 2 for "
            + "a configuration error.")
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
                settings = TlsRptSettings.of(config);
                dns = zones.isEmpty() ? new PlainDnsResolver(config.dnsResolvers(), config.dns().timeout())
                        : ZoneFileDns.read(zones);
            } catch (IOException e) {
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
                // The running relay keeps the day's counts in memory: it sends them itself (docs/tlsrpt.md).
                return throughRelay(directory);
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

        /** The running relay sends the reports: its counts, its resolvers, its queue. */
        private int throughRelay(Path directory) {
            if (!zones.isEmpty()) {
                System.err.println("sealpost tlsrpt: note: the running relay looks the _smtp._tls records up through its "
                        + "own dns_resolvers; --dns-zone applies to a stopped relay only");
            }
            QueueReply reply = QueueControl.running(directory, QueueRequest.tlsrptFlush());
            reply.lines().forEach(System.out::println);
            reply.message().lines().forEach(line -> System.err.println("sealpost tlsrpt: " + line));
            return reply.status() == QueueReply.OK ? 0 : reply.status() == QueueReply.USAGE ? Main.CONFIG_ERROR
                    : Main.STARTUP_FAILURE;
        }
    }
}
