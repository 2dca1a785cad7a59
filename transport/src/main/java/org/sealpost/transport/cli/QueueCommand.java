package org.sealpost.transport.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.config.ConfigException;
import org.sealpost.transport.queue.QueueControl;
import org.sealpost.transport.queue.QueueReply;
import org.sealpost.transport.queue.QueueRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sealpost queue ...}: the queue of a running relay (through its control socket) or of a
 * stopped one (its files, under the queue lock), like Postfix's postqueue and postsuper.
 */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "Lists, shows, flushes, deletes, holds and releases queued messages, on a running relay or a "
        + "stopped spool (docs/queue.md). Exit status 0 on success, 1 when a queue id is unknown or the queue cannot "
        + "be reached, 2 for a usage or configuration error.",
        subcommands = {QueueCommand.ListMessages.class, QueueCommand.Show.class, QueueCommand.Flush.class,
                QueueCommand.Delete.class, QueueCommand.Hold.class, QueueCommand.Release.class})
final class QueueCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return Main.CONFIG_ERROR;
    }

    /** What every queue command shares: the configuration that names queue_directory. */
    abstract static class Base implements Callable<Integer> {

        @Option(names = "--config", defaultValue = "/etc/sealpost/sealpost.conf", paramLabel = "FILE",
                description = "the relay's configuration file (default: ${DEFAULT-VALUE})")
        Path config;

        @Override
        public final Integer call() {
            Config settings;
            try {
                settings = Config.load(config);
            } catch (ConfigException e) {
                System.err.println("sealpost: configuration error: " + e.getMessage());
                return Main.CONFIG_ERROR;
            }
            QueueReply reply = QueueControl.run(settings.queue(), request());
            reply.lines().forEach(System.out::println);
            if (!reply.message().isEmpty()) {
                reply.message().lines().forEach(line -> System.err.println("sealpost queue: " + line));
            }
            return reply.status();
        }

        abstract QueueRequest request();
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the queue like postqueue -p: each "
            + "message with its recipients, their state (queued, deferred, sent, bounced), the last attempt's reason and "
            + "the next attempt's time; '*' marks a message being attempted, '!' one on hold.")
    static final class ListMessages extends Base {
        @Option(names = "--deferred", description = "only messages with recipients waiting for a retry")
        boolean deferred;

        @Option(names = "--held", description = "only messages on hold")
        boolean held;

        @Option(names = "--json", description = "one JSON array of objects (docs/queue.md)")
        boolean json;

        @Override
        QueueRequest request() {
            return QueueRequest.list(deferred, held, json);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Shows one message: envelope, recipients with states and reasons, the header section.")
    static final class Show extends Base {
        @Parameters(paramLabel = "ID", description = "the queue id")
        String id;

        @Override
        QueueRequest request() {
            return QueueRequest.of(QueueRequest.Verb.SHOW, List.of(id));
        }
    }

    @Command(name = "flush", mixinStandardHelpOptions = true, description = "Attempts deferred mail now (postqueue -f): "
            + "all of it, one message (postqueue -i), or the messages with recipients in a domain (postqueue -s).")
    static final class Flush extends Base {
        @Parameters(paramLabel = "ID", arity = "0..1", description = "only this message")
        String id;

        @Option(names = "--domain", paramLabel = "DOMAIN", description = "only messages with recipients in DOMAIN")
        String domain;

        @Override
        QueueRequest request() {
            return new QueueRequest(QueueRequest.Verb.FLUSH, id == null ? List.of() : List.of(id), false, false, false,
                    false, domain);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Removes messages (postsuper -d); with "
            + "--bounce, sends their senders a delivery status notification for every recipient not yet delivered.")
    static final class Delete extends Base {
        @Parameters(paramLabel = "ID", arity = "1..*", description = "queue ids")
        List<String> ids;

        @Option(names = "--bounce", description = "report to the sender: \"deleted by the administrator\"")
        boolean bounce;

        @Override
        QueueRequest request() {
            return QueueRequest.delete(ids, bounce);
        }
    }

    @Command(name = "hold", mixinStandardHelpOptions = true, description = "Puts messages on hold (postsuper -h): never "
            + "attempted, and their queue lifetime does not run out, until released.")
    static final class Hold extends Base {
        @Parameters(paramLabel = "ID", arity = "1..*", description = "queue ids")
        List<String> ids;

        @Override
        QueueRequest request() {
            return QueueRequest.of(QueueRequest.Verb.HOLD, ids);
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true,
            description = "Releases messages from hold (postsuper -H); they are attempted at once.")
    static final class Release extends Base {
        @Parameters(paramLabel = "ID", arity = "1..*", description = "queue ids")
        List<String> ids;

        @Override
        QueueRequest request() {
            return QueueRequest.of(QueueRequest.Verb.RELEASE, ids);
        }
    }
}
