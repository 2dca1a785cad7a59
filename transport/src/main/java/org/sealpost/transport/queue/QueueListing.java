package org.sealpost.transport.queue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.sealpost.transport.json.JsonString;

/**
 * The output of {@code queue list} and {@code queue show}: blocks like those of Postfix's
 * {@code postqueue -p} (an id marked '*' while an attempt runs and '!' while held), or one JSON
 * array. Times are RFC 3339 in UTC, so that the text and the JSON say the same.
 */
final class QueueListing {

    private QueueListing() {
    }

    static List<String> text(List<MessageView> messages) {
        List<String> lines = new ArrayList<>();
        if (messages.isEmpty()) {
            lines.add("Mail queue is empty");
            return lines;
        }
        lines.add(String.format("%-17s %8s %-20s  %s", "-Queue ID-", "--Size--", "----Arrival Time----",
                "-Sender/Recipient-------"));
        long bytes = 0;
        for (MessageView m : messages) {
            String mark = m.attempting() ? "*" : m.held() ? "!" : " ";
            lines.add(String.format("%-17s %8d %-20s  %s%s", m.id() + mark, m.size(), time(m.arrival()),
                    m.sender().isEmpty() ? "MAILER-DAEMON" : m.sender(), m.requireTls() ? "  (REQUIRETLS)" : ""));
            for (MessageView.RecipientView r : m.recipients()) {
                lines.add(String.format("%48s  %s  %s%s%s", "", r.address(), r.state(),
                        r.lastReason().isEmpty() ? "" : "  (" + r.lastReason() + ")",
                        r.nextAttempt() == null ? "" : "  next attempt " + time(r.nextAttempt())));
            }
            lines.add("");
            bytes += m.size();
        }
        long kib = (bytes + 1023) / 1024;
        lines.add("-- " + kib + " KiB in " + messages.size() + (messages.size() == 1 ? " message." : " messages."));
        return lines;
    }

    /** One JSON array, one object per message (docs/queue.md gives the fields). */
    static String json(List<MessageView> messages) {
        StringBuilder out = new StringBuilder("[");
        for (MessageView m : messages) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append("{\"id\":").append(JsonString.of(m.id()))
                    .append(",\"arrival\":").append(JsonString.of(time(m.arrival())))
                    .append(",\"size\":").append(m.size())
                    .append(",\"sender\":").append(JsonString.of(m.sender()))
                    .append(",\"held\":").append(m.held())
                    .append(",\"attempt_in_progress\":").append(m.attempting())
                    .append(",\"attempts\":").append(m.attempts())
                    .append(",\"requiretls\":").append(m.requireTls())
                    .append(",\"recipients\":[");
            for (int i = 0; i < m.recipients().size(); i++) {
                MessageView.RecipientView r = m.recipients().get(i);
                out.append(i == 0 ? "" : ",").append("{\"address\":").append(JsonString.of(r.address()))
                        .append(",\"state\":").append(JsonString.of(r.state()))
                        .append(",\"last_reason\":").append(r.lastReason().isEmpty() ? "null" : JsonString.of(r.lastReason()))
                        .append(",\"next_attempt\":").append(r.nextAttempt() == null ? "null" : JsonString.of(time(r.nextAttempt())))
                        .append('}');
            }
            out.append("]}");
        }
        return out.append(']').toString();
    }

    /** {@code queue show}: the envelope, every recipient's state and reason, then the header section. */
    static List<String> show(MessageView view, StoredMessage message, String headerSection) {
        Envelope e = message.envelope();
        Envelope.ClientInfo c = e.client();
        List<String> lines = new ArrayList<>();
        lines.add("id: " + view.id());
        lines.add("arrival: " + time(view.arrival()));
        lines.add("size: " + view.size());
        lines.add("sender: <" + e.sender() + ">");
        lines.add("held: " + (view.held() ? "yes" : "no"));
        lines.add("attempt in progress: " + (view.attempting() ? "yes" : "no"));
        lines.add("attempts: " + view.attempts());
        lines.add("body: " + e.body().keyword() + ", smtputf8: " + (e.smtputf8() ? "yes" : "no") + ", ret: "
                + (e.ret().isEmpty() ? "-" : e.ret()) + ", envid: " + (e.envid().isEmpty() ? "-" : e.envid())
                + ", requiretls: " + (e.requireTls() ? "yes" : "no"));
        lines.add("client: " + c.address() + " helo " + (c.heloName().isEmpty() ? "-" : c.heloName()) + " " + c.protocol()
                + (c.tls().isEmpty() ? "" : " (" + c.tls() + ")") + (c.authUser().isEmpty() ? "" : " login " + c.authUser())
                + " listener " + c.listener());
        for (MessageView.RecipientView r : view.recipients()) {
            lines.add("recipient: <" + r.address() + "> " + r.state()
                    + (r.lastReason().isEmpty() ? "" : " (" + r.lastReason() + ")")
                    + (r.nextAttempt() == null ? "" : ", next attempt " + time(r.nextAttempt())));
        }
        lines.add("");
        headerSection.lines().forEach(lines::add);
        return lines;
    }

    static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

}
