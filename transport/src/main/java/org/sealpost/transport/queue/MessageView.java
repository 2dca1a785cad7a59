package org.sealpost.transport.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One message as the queue commands show it (docs/queue.md, "Queue commands").
 *
 * @param attempting whether a delivery attempt of it is in progress (Postfix marks those '*')
 * @param attempts how many rounds of attempts it has had
 * @param requireTls whether it was received with REQUIRETLS (RFC 8689)
 */
record MessageView(String id, Instant arrival, long size, String sender, boolean held, boolean attempting,
        int attempts, List<RecipientView> recipients, boolean requireTls) {

    /**
     * One recipient: its state (queued: never attempted, deferred, sent, bounced), the last
     * attempt's reason ("" when none) and the next attempt's time (null when none is set: sent,
     * bounced, held, or due at once).
     */
    record RecipientView(String address, String state, String lastReason, Instant nextAttempt) {
    }

    static MessageView of(StoredMessage message, boolean attempting) {
        QueueFile.Notes notes = message.notes();
        char[] states = message.states();
        List<RecipientView> recipients = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            String reason = notes.reasons[i];
            String state = switch (states[i]) {
                case QueueFile.DELIVERED -> "sent";
                case QueueFile.BOUNCED -> "bounced";
                default -> reason.isEmpty() ? "queued" : "deferred";
            };
            Instant next = states[i] == QueueFile.PENDING && !notes.held && notes.nextAttempt > 0
                    ? Instant.ofEpochMilli(notes.nextAttempt) : null;
            recipients.add(new RecipientView(message.envelope().recipients().get(i).address(), state, reason, next));
        }
        return new MessageView(message.queueId(), message.envelope().arrival(), message.size(),
                message.envelope().sender(), notes.held, attempting, notes.attempts, recipients,
                message.envelope().requireTls());
    }

    /** Whether some recipient waits for a retry: what {@code queue list --deferred} shows. */
    boolean deferred() {
        return !held && recipients.stream().anyMatch(r -> r.state().equals("deferred"));
    }
}
