package org.sealpost.transport.queue;

import java.util.ArrayList;
import java.util.List;

/**
 * What a queue command answers: lines for standard output, and the exit status with a message
 * for standard error (0 success, 1 an unknown queue id or a queue that cannot be reached, 2 usage).
 */
public record QueueReply(int status, List<String> lines, String message) {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    public QueueReply {
        lines = List.copyOf(lines);
    }

    static QueueReply failed(String message) {
        return new QueueReply(FAILED, List.of(), message);
    }

    /** The lines, then an error for the ids that are not in the queue (status 1 when there are any). */
    static QueueReply of(List<String> lines, List<String> unknown) {
        if (unknown.isEmpty()) {
            return new QueueReply(OK, lines, "");
        }
        return new QueueReply(FAILED, lines, (unknown.size() == 1 ? "no message " : "no messages ")
                + String.join(", ", unknown) + " in the queue (see sealpost queue list)");
    }

    /** Builds a reply one line at a time. */
    static final class Builder {
        final List<String> lines = new ArrayList<>();
        final List<String> unknown = new ArrayList<>();

        QueueReply build() {
            return of(lines, unknown);
        }
    }
}
