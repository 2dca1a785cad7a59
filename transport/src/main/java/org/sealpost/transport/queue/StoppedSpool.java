package org.sealpost.transport.queue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The queue commands on the files of a stopped relay, run while the command holds the queue lock
 * (so no relay starts meanwhile). What the running relay would do at once happens at its next
 * start: a released or flushed message is attempted as soon as it starts. An unreadable file is
 * named and left alone; the relay sets it aside at start.
 */
final class StoppedSpool implements QueueOperations {

    private final QueueSettings settings;
    private final Path active;
    private final Path incoming;
    private final Map<String, StoredMessage> messages = new TreeMap<>();
    private final List<String> unreadable = new ArrayList<>();

    StoppedSpool(QueueSettings settings) throws IOException {
        this.settings = settings;
        this.active = settings.directory().resolve("active");
        this.incoming = settings.directory().resolve("incoming");
        if (Files.isDirectory(active)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(active)) {
                for (Path file : files) {
                    try {
                        StoredMessage message = StoredMessage.of(file, QueueFile.read(file));
                        messages.put(message.queueId(), message);
                    } catch (NoSuchFileException e) {
                        // removed meanwhile
                    } catch (IOException e) {
                        unreadable.add("warning: queue file " + file + " is unreadable (" + e.getMessage()
                                + "); the relay moves it to corrupt/ when it starts");
                    }
                }
            }
        }
    }

    /** Files that did not read back, one warning each, for standard error. */
    List<String> warnings() {
        return unreadable;
    }

    @Override
    public QueueReply list(QueueRequest filter) {
        return QueueOperations.listing(messages.values().stream().map(m -> MessageView.of(m, false)).toList(), filter);
    }

    @Override
    public QueueReply show(String id) {
        StoredMessage message = messages.get(id);
        if (message == null) {
            return QueueReply.of(List.of(), List.of(id));
        }
        try {
            return new QueueReply(QueueReply.OK, QueueListing.show(MessageView.of(message, false), message,
                    message.headerSection(256 * 1024)), "");
        } catch (IOException e) {
            return QueueReply.failed(id + ": cannot read its queue file (" + e.getMessage() + ")");
        }
    }

    @Override
    public QueueReply flush(String id, String domain) {
        QueueReply.Builder reply = new QueueReply.Builder();
        int flushed = 0;
        for (StoredMessage message : id == null ? List.copyOf(messages.values()) : single(id, reply)) {
            if (message.notes().held) {
                if (id != null) {
                    reply.lines.add(id + ": on hold; release it to attempt it");
                }
            } else if (message.pendingIn(domain)) {
                message.notes().nextAttempt = 0;
                if (!write(message, reply)) {
                    continue;
                }
                flushed++;
                if (id != null) {
                    reply.lines.add(id + ": attempted when the relay starts");
                }
            }
        }
        if (id == null) {
            reply.lines.add(flushed + (flushed == 1 ? " message" : " messages") + (domain.isEmpty() ? "" : " for " + domain)
                    + " attempted when the relay starts");
        }
        return reply.build();
    }

    @Override
    public QueueReply delete(List<String> ids, boolean bounce) {
        QueueReply.Builder reply = new QueueReply.Builder();
        for (String id : ids) {
            for (StoredMessage message : single(id, reply)) {
                String report = "";
                List<RecipientResult> failed = bounce ? BounceReport.deleted(message, null) : List.of();
                if (!failed.isEmpty()) {
                    try {
                        report = "; delivery status notification " + report(message, failed) + " to <"
                                + message.envelope().sender() + ">, sent when the relay starts";
                    } catch (IOException | RuntimeException e) {
                        reply.lines.add(id + ": not deleted: cannot queue the delivery status notification ("
                                + e.getMessage() + ")");
                        continue;
                    }
                }
                try {
                    Files.deleteIfExists(message.file());
                    DirectorySync.sync(active);
                    messages.remove(id);
                    reply.lines.add(id + ": deleted" + report);
                } catch (IOException e) {
                    reply.lines.add(id + ": not deleted: " + e.getMessage());
                }
            }
        }
        return reply.build();
    }

    @Override
    public QueueReply hold(List<String> ids) {
        return setHold(ids, true);
    }

    @Override
    public QueueReply release(List<String> ids) {
        return setHold(ids, false);
    }

    private QueueReply setHold(List<String> ids, boolean held) {
        QueueReply.Builder reply = new QueueReply.Builder();
        for (String id : ids) {
            for (StoredMessage message : single(id, reply)) {
                if (message.notes().held == held) {
                    reply.lines.add(id + (held ? ": already on hold" : ": not on hold"));
                    continue;
                }
                message.notes().held = held;
                message.notes().nextAttempt = 0;
                if (write(message, reply)) {
                    reply.lines.add(id + (held ? ": held" : ": released; attempted when the relay starts"));
                }
            }
        }
        return reply.build();
    }

    private List<StoredMessage> single(String id, QueueReply.Builder reply) {
        StoredMessage message = messages.get(id);
        if (message == null) {
            reply.unknown.add(id);
            return List.of();
        }
        return List.of(message);
    }

    private boolean write(StoredMessage message, QueueReply.Builder reply) {
        try {
            OwnerOnly.createFolder(incoming);
            messages.put(message.queueId(), message.writeNotes(incoming.resolve(message.queueId() + ".rewrite")));
            return true;
        } catch (IOException e) {
            reply.lines.add(message.queueId() + ": not changed: cannot write its queue file (" + e.getMessage() + ")");
            return false;
        }
    }

    /** Writes the report into active/ as the relay would, synced before the command says it is queued. */
    private String report(StoredMessage message, List<RecipientResult> failed) throws IOException {
        DirectorySync sync = new DirectorySync(active);
        try {
            MessageSink sink = envelope -> {
                String reportId = QueueId.next();
                return new SpoolWriter(reportId, envelope, incoming.resolve(reportId), active.resolve(reportId),
                        Runnable::run, sync, stored -> { });
            };
            return BounceReport.queue(message, failed, settings, Instant.now(), sink);
        } finally {
            sync.close();
        }
    }
}
