package org.sealpost.transport.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a queue command runs: through the control socket when a relay holds the queue lock (so
 * that its schedule and the files agree, and an attempt in progress is waited for), or on the
 * files themselves under the lock when none does.
 */
public final class QueueControl {

    private QueueControl() {
    }

    public static QueueReply run(QueueSettings settings, QueueRequest request) {
        Path directory = settings.directory();
        try {
            request.check();
        } catch (IllegalArgumentException e) {
            return new QueueReply(QueueReply.USAGE, List.of(), e.getMessage());
        }
        if (!Files.isDirectory(directory)) {
            return QueueReply.failed("queue_directory " + directory + " does not exist; has a relay run with this "
                    + "configuration (--config)?");
        }
        String owner = owner(directory);
        if (!owner.equals(System.getProperty("user.name"))) {
            // Another user (root) may ask a running relay, which does the writing; but files it wrote
            // itself, even the lock file, would be the relay's no more.
            QueueReply reply = remote(directory, request);
            if (reply.status() == QueueReply.OK || !reply.message().contains("does not answer")) {
                return reply;
            }
            return QueueReply.failed("no relay answers on " + directory.resolve(ControlSocket.NAME) + ", and the "
                    + "files of a stopped spool are for their owner alone: run the command as " + owner + " (sudo -u "
                    + owner + " sealpost queue ...)");
        }
        QueueLock lock;
        try {
            lock = QueueLock.tryAcquire(directory);
        } catch (IOException e) {
            return QueueReply.failed("cannot lock queue_directory " + directory + " (" + e.getMessage() + "); run the "
                    + "command as the user Sealpost runs as");
        }
        if (lock == null) {
            return remote(directory, request);
        }
        try (lock) {
            StoppedSpool spool = new StoppedSpool(settings);
            QueueReply reply = request.apply(spool);
            if (spool.warnings().isEmpty()) {
                return reply;
            }
            List<String> message = new ArrayList<>(spool.warnings());
            if (!reply.message().isEmpty()) {
                message.add(reply.message());
            }
            return new QueueReply(reply.status(), reply.lines(), String.join("\n", message));
        } catch (IOException e) {
            return QueueReply.failed("cannot read queue_directory " + directory + " (" + e.getMessage() + ")");
        }
    }

    /**
     * Sends {@code request} to the relay running on {@code directory}, through its control socket;
     * a relay that does not answer is a failure that says so.
     */
    public static QueueReply running(Path directory, QueueRequest request) {
        return remote(directory, request);
    }

    private static String owner(Path directory) {
        try {
            return Files.getOwner(directory).getName();
        } catch (IOException | UnsupportedOperationException e) {
            return System.getProperty("user.name");
        }
    }

    private static QueueReply remote(Path directory, QueueRequest request) {
        Path socket = directory.resolve(ControlSocket.NAME);
        try {
            return ControlSocket.ask(directory, request);
        } catch (IOException e) {
            return QueueReply.failed("queue_directory " + directory + " is locked by a running Sealpost (pid "
                    + QueueLock.holder(directory) + "), but its control socket " + socket + " does not answer ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + "); if the relay is "
                    + "starting, try again in a moment, otherwise see its log");
        }
    }
}
