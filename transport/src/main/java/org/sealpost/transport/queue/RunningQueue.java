package org.sealpost.transport.queue;

import java.io.IOException;
import java.util.List;

/**
 * The queue commands on a running relay's queue, run on its manager thread (docs/queue.md): a
 * message that is busy (an attempt in progress, or its file being checked before one) is not
 * changed; its hold or delete is noted, and {@link MailQueue} applies it when the attempt ends.
 */
final class RunningQueue implements QueueOperations {

    private final MailQueue queue;

    RunningQueue(MailQueue queue) {
        this.queue = queue;
    }

    @Override
    public QueueReply list(QueueRequest filter) {
        return QueueOperations.listing(queue.entries().stream().map(e -> MessageView.of(e.message, e.busy())).toList(),
                filter);
    }

    @Override
    public QueueReply show(String id) {
        MailQueue.Entry entry = queue.entry(id);
        if (entry == null) {
            return QueueReply.of(List.of(), List.of(id));
        }
        try {
            return new QueueReply(QueueReply.OK, QueueListing.show(MessageView.of(entry.message, entry.busy()),
                    entry.message, entry.message.headerSection(256 * 1024)), "");
        } catch (IOException e) {
            return QueueReply.failed(id + ": cannot read its queue file (" + e.getMessage() + ")");
        }
    }

    @Override
    public QueueReply flush(String id, String domain) {
        QueueReply.Builder reply = new QueueReply.Builder();
        if (id != null) {
            MailQueue.Entry entry = queue.entry(id);
            if (entry == null) {
                reply.unknown.add(id);
            } else if (held(entry)) {
                reply.lines.add(id + ": on hold; release it to attempt it");
            } else if (entry.busy()) {
                reply.lines.add(id + ": an attempt is in progress");
            } else {
                queue.forgetUnavailable();
                queue.attemptNow(entry);
                reply.lines.add(id + ": attempted now");
            }
            return reply.build();
        }
        queue.forgetUnavailable();
        int flushed = 0;
        for (MailQueue.Entry entry : queue.entries()) {
            if (!entry.busy() && !held(entry) && entry.message.pendingIn(domain)) {
                queue.attemptNow(entry);
                flushed++;
            }
        }
        reply.lines.add(flushed + (flushed == 1 ? " message" : " messages") + (domain.isEmpty() ? "" : " for " + domain)
                + " attempted now");
        return reply.build();
    }

    @Override
    public QueueReply delete(List<String> ids, boolean bounce) {
        QueueReply.Builder reply = new QueueReply.Builder();
        for (String id : ids) {
            MailQueue.Entry entry = queue.entry(id);
            if (entry == null) {
                reply.unknown.add(id);
            } else if (entry.busy()) {
                entry.deleteAfter = true;
                entry.bounceAfter = bounce;
                reply.lines.add(id + ": deleted; the attempt in progress finishes first (recipients it delivers stay "
                        + "delivered)");
            } else {
                reply.lines.add(id + ": " + queue.remove(entry, bounce));
            }
        }
        return reply.build();
    }

    @Override
    public QueueReply hold(List<String> ids) {
        QueueReply.Builder reply = new QueueReply.Builder();
        for (String id : ids) {
            MailQueue.Entry entry = queue.entry(id);
            if (entry == null) {
                reply.unknown.add(id);
            } else if (held(entry)) {
                reply.lines.add(id + ": already on hold");
            } else if (entry.busy()) {
                entry.holdAfter = true;
                reply.lines.add(id + ": held; the attempt in progress finishes first");
            } else {
                queue.holdNow(entry);
                reply.lines.add(id + ": held");
            }
        }
        return reply.build();
    }

    @Override
    public QueueReply release(List<String> ids) {
        QueueReply.Builder reply = new QueueReply.Builder();
        for (String id : ids) {
            MailQueue.Entry entry = queue.entry(id);
            if (entry == null) {
                reply.unknown.add(id);
            } else if (entry.holdAfter) {
                entry.holdAfter = false; // the attempt in progress had not ended yet: as if never held
                reply.lines.add(id + ": released");
            } else if (!entry.message.notes().held) {
                reply.lines.add(id + ": not on hold");
            } else {
                queue.releaseNow(entry);
                reply.lines.add(id + ": released; attempted now");
            }
        }
        return reply.build();
    }

    /** On hold, or to be held when its attempt ends. */
    private static boolean held(MailQueue.Entry entry) {
        return entry.message.notes().held || entry.holdAfter;
    }
}
