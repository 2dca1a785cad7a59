package org.sealpost.transport.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One queue command, as the command line gives it and as it travels on the control socket: one
 * line, the verb and its words ({@code list deferred held json}, {@code show ID}, {@code flush},
 * {@code flush ID}, {@code flush domain DOMAIN}, {@code delete [bounce] ID...}, {@code hold ID...},
 * {@code release ID...}, and {@code tlsrpt}: send the TLS reports pending now, docs/tlsrpt.md). Queue ids are hex and domains are host names, so a space never occurs
 * inside a word.
 */
public record QueueRequest(Verb verb, List<String> ids, boolean deferred, boolean held, boolean json, boolean bounce,
        String domain) {

    public enum Verb { LIST, SHOW, FLUSH, DELETE, HOLD, RELEASE, TLSRPT }

    public QueueRequest {
        // ids are upper-case hex; one typed in lower case means the same message
        ids = ids.stream().map(id -> id.matches("[0-9a-fA-F]{16}") ? id.toUpperCase(Locale.ROOT) : id).toList();
        domain = domain == null ? "" : domain.toLowerCase(Locale.ROOT);
    }

    public static QueueRequest list(boolean deferred, boolean held, boolean json) {
        return new QueueRequest(Verb.LIST, List.of(), deferred, held, json, false, "");
    }

    public static QueueRequest of(Verb verb, List<String> ids) {
        return new QueueRequest(verb, ids, false, false, false, false, "");
    }

    public static QueueRequest delete(List<String> ids, boolean bounce) {
        return new QueueRequest(Verb.DELETE, ids, false, false, false, bounce, "");
    }

    /** `sealpost tlsrpt flush` on a running relay: the reports pending now, today's included. */
    public static QueueRequest tlsrptFlush() {
        return new QueueRequest(Verb.TLSRPT, List.of(), false, false, false, false, "");
    }

    public static QueueRequest flushDomain(String domain) {
        return new QueueRequest(Verb.FLUSH, List.of(), false, false, false, false, domain);
    }

    /** The request line (without its line end). */
    String line() {
        List<String> words = new ArrayList<>();
        words.add(verb.name().toLowerCase(Locale.ROOT));
        if (deferred) {
            words.add("deferred");
        }
        if (held) {
            words.add("held");
        }
        if (json) {
            words.add("json");
        }
        if (bounce) {
            words.add("bounce");
        }
        if (!domain.isEmpty()) {
            words.add("domain");
            words.add(domain);
        }
        words.addAll(ids);
        return String.join(" ", words);
    }

    /** Parses a request line; throws IllegalArgumentException saying what is wrong. */
    static QueueRequest parse(String line) {
        String[] words = line.strip().split(" +");
        Verb verb;
        try {
            verb = Verb.valueOf(words[0].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown queue command '" + words[0] + "'; expected list, show, flush, "
                    + "delete, hold, release or tlsrpt");
        }
        boolean deferred = false;
        boolean held = false;
        boolean json = false;
        boolean bounce = false;
        String domain = "";
        List<String> ids = new ArrayList<>();
        for (int i = 1; i < words.length; i++) {
            switch (words[i]) {
                case "deferred" -> deferred = true;
                case "held" -> held = true;
                case "json" -> json = true;
                case "bounce" -> bounce = true;
                case "domain" -> {
                    if (++i == words.length) {
                        throw new IllegalArgumentException("domain needs a DOMAIN");
                    }
                    domain = words[i];
                }
                default -> ids.add(words[i]);
            }
        }
        QueueRequest request = new QueueRequest(verb, ids, deferred, held, json, bounce, domain);
        request.check();
        return request;
    }

    /** Whether the words fit the verb; throws IllegalArgumentException with the usage when not. */
    void check() {
        boolean fits = switch (verb) {
            case LIST -> ids.isEmpty() && !bounce && domain.isEmpty();
            case SHOW -> ids.size() == 1 && !deferred && !held && !bounce && domain.isEmpty();
            case FLUSH -> ids.size() <= 1 && !(ids.size() == 1 && !domain.isEmpty()) && !deferred && !held && !bounce;
            case DELETE -> !ids.isEmpty() && !deferred && !held && domain.isEmpty();
            case HOLD, RELEASE -> !ids.isEmpty() && !deferred && !held && !bounce && domain.isEmpty();
            case TLSRPT -> ids.isEmpty() && !deferred && !held && !json && !bounce && domain.isEmpty();
        };
        for (String id : ids) {
            if (!QueueId.isValid(id)) {
                throw new IllegalArgumentException("'" + id + "' is not a queue id: expected 16 hex digits, as sealpost "
                        + "queue list shows them");
            }
        }
        if (!fits) {
            throw new IllegalArgumentException("usage: " + switch (verb) {
                case LIST -> "list [--deferred] [--held] [--json]";
                case SHOW -> "show ID";
                case FLUSH -> "flush [ID | --domain DOMAIN]";
                case DELETE -> "delete ID... [--bounce]";
                case HOLD -> "hold ID...";
                case RELEASE -> "release ID...";
                case TLSRPT -> "tlsrpt";
            });
        }
    }

    /** Runs the request against the queue of a running relay or a stopped spool. */
    QueueReply apply(QueueOperations queue) {
        return switch (verb) {
            case LIST -> queue.list(this);
            case SHOW -> queue.show(ids.get(0));
            case FLUSH -> queue.flush(ids.isEmpty() ? null : ids.get(0), domain);
            case DELETE -> queue.delete(ids, bounce);
            case HOLD -> queue.hold(ids);
            case RELEASE -> queue.release(ids);
            // The relay answers it before the queue sees it (ControlSocket); a spool has no reports to send.
            case TLSRPT -> QueueReply.failed("the TLS reports are sent by sealpost tlsrpt flush (docs/tlsrpt.md)");
        };
    }
}
