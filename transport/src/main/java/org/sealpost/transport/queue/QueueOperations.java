package org.sealpost.transport.queue;

import java.util.List;

/** The queue commands, on the queue of a running relay ({@link RunningQueue}) or a stopped spool ({@link StoppedSpool}). */
interface QueueOperations {

    QueueReply list(QueueRequest filter);

    QueueReply show(String id);

    /** All deferred messages ({@code id} null, {@code domain} ""), one message, or those with recipients in a domain. */
    QueueReply flush(String id, String domain);

    QueueReply delete(List<String> ids, boolean bounce);

    QueueReply hold(List<String> ids);

    QueueReply release(List<String> ids);

    /** The views a list shows, filtered as asked, in queue id (arrival) order. */
    static List<MessageView> filter(List<MessageView> all, QueueRequest request) {
        return all.stream().filter(m -> (!request.deferred() && !request.held()) || (request.deferred() && m.deferred())
                || (request.held() && m.held())).sorted(java.util.Comparator.comparing(MessageView::id)).toList();
    }

    static QueueReply listing(List<MessageView> all, QueueRequest request) {
        List<MessageView> shown = filter(all, request);
        return new QueueReply(QueueReply.OK, request.json() ? List.of(QueueListing.json(shown)) : QueueListing.text(shown), "");
    }
}
