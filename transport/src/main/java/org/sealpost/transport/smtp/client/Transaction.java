package org.sealpost.transport.smtp.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.sealpost.transport.queue.BodyType;
import org.sealpost.transport.queue.DeliveryStatus;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.queue.Notify;
import org.sealpost.transport.queue.QueuedMessage;
import org.sealpost.transport.queue.Recipient;
import org.sealpost.transport.queue.RecipientResult;

/**
 * One mail transaction on a ready connection: MAIL, RCPT for each recipient, DATA and the content,
 * pipelined when the peer offers PIPELINING (RFC 2920), with a result per recipient.
 */
final class Transaction {

    /**
     * Per-recipient results, whether the connection can carry another message, and what was
     * forwarded of the original client ("" when nothing was).
     */
    record Outcome(List<RecipientResult> results, boolean reusable, String forwarded) {
    }

    private final ClientSettings settings;
    private final SmtpConnection connection;
    private final QueuedMessage message;
    private final List<Recipient> recipients;
    private final boolean handoff;
    private boolean pipelining;
    private boolean dsn;
    private OriginForwarding.Forwarded forwarded = OriginForwarding.Forwarded.NONE;

    Transaction(ClientSettings settings, SmtpConnection connection, QueuedMessage message, List<Recipient> recipients) {
        this(settings, connection, message, recipients, false);
    }

    /**
     * @param handoff whether the next hop takes over mail for a local domain (a route.DOMAIN), so
     *     that the original client of mail from an mx listener is named to it (docs/postfix.md)
     */
    Transaction(ClientSettings settings, SmtpConnection connection, QueuedMessage message, List<Recipient> recipients,
            boolean handoff) {
        this.settings = settings;
        this.connection = connection;
        this.message = message;
        this.recipients = recipients;
        this.handoff = handoff;
    }

    /**
     * What the peer cannot take, decided before anything is sent: a refusal that no retry can fix,
     * or null. RFC 1870, RFC 6152 and RFC 6531 3.4.
     */
    RecipientFailure unacceptable() {
        Envelope envelope = message.envelope();
        String size = connection.ehloReply().keywordValue("SIZE");
        if (size != null && size.matches("[0-9]{1,18}") && Long.parseLong(size) > 0 && message.size() > Long.parseLong(size)) {
            return new RecipientFailure("5.3.4", "message size " + message.size() + " exceeds size limit " + size
                    + " of server " + connection.target());
        }
        if (envelope.body() == BodyType.EIGHT_BIT_MIME && !connection.ehloReply().hasKeyword("8BITMIME")) {
            return new RecipientFailure("5.6.3", "message has 8-bit content, but server " + connection.target()
                    + " does not announce 8BITMIME");
        }
        if (envelope.smtputf8() && !connection.ehloReply().hasKeyword("SMTPUTF8")) {
            return new RecipientFailure("5.6.7", "message needs SMTPUTF8, but server " + connection.target()
                    + " does not announce SMTPUTF8");
        }
        return null;
    }

    /** A failure of every recipient with one code and reason. */
    record RecipientFailure(String enhancedCode, String reason) {
    }

    CompletableFuture<Outcome> run() {
        connection.countMessage();
        if (handoff && message.envelope().client().hasOrigin()) {
            return OriginForwarding.forward(settings, connection, message.envelope().client(), message.queueId())
                    .thenCompose(done -> {
                        forwarded = done;
                        return exchange();
                    });
        }
        return exchange();
    }

    /** MAIL, RCPT, DATA and the content, as the EHLO reply in force allows. */
    private CompletableFuture<Outcome> exchange() {
        pipelining = connection.ehloReply().hasKeyword("PIPELINING");
        dsn = connection.ehloReply().hasKeyword("DSN");
        CompletableFuture<SmtpReply> mail = connection.send(mailCommand(), settings.commandTimeout(), !pipelining);
        List<CompletableFuture<SmtpReply>> rcpts = new ArrayList<>();
        if (pipelining) {
            for (Recipient recipient : recipients) {
                rcpts.add(connection.send(rcptCommand(recipient), settings.commandTimeout(), false));
            }
            CompletableFuture<SmtpReply> data = connection.send("DATA", settings.dataTimeout(), true);
            return mail.thenCompose(mailReply -> allOf(rcpts).thenCompose(ignored -> data)
                    .thenCompose(dataReply -> afterData(mailReply, rcpts, dataReply)));
        }
        return mail.thenCompose(mailReply -> {
            if (!mailReply.positive()) {
                return finish(mailReply, List.of(), null);
            }
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (Recipient recipient : recipients) {
                chain = chain.thenCompose(ignored -> {
                    CompletableFuture<SmtpReply> reply = connection.send(rcptCommand(recipient), settings.commandTimeout(), true);
                    rcpts.add(reply);
                    return reply.thenApply(r -> null);
                });
            }
            return chain.thenCompose(ignored -> {
                if (rcpts.stream().noneMatch(r -> r.join().positive())) {
                    return finish(mailReply, rcpts, null);
                }
                return connection.send("DATA", settings.dataTimeout(), true)
                        .thenCompose(dataReply -> afterData(mailReply, rcpts, dataReply));
            });
        });
    }

    private CompletableFuture<Outcome> afterData(SmtpReply mailReply, List<CompletableFuture<SmtpReply>> rcpts,
            SmtpReply dataReply) {
        boolean anyAccepted = mailReply.positive() && rcpts.stream().anyMatch(r -> r.join().positive());
        if (dataReply.code() != 354) {
            return finish(mailReply, rcpts, anyAccepted ? dataReply : null);
        }
        if (!anyAccepted) {
            // A pipelined DATA was accepted with no recipient left: end it empty, then RSET.
            return connection.sendContent(InputStream.nullInputStream(), settings.dataTimeout(), settings.finalTimeout())
                    .thenCompose(ignored -> connection.send("RSET", settings.commandTimeout(), true))
                    .thenCompose(ignored -> finish(mailReply, rcpts, null));
        }
        InputStream content;
        try {
            content = message.openContent();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        // The final reply's own timer starts when the dot is queued (RFC 5321 4.5.3.2.6).
        return connection.sendContent(content, settings.dataTimeout(), settings.finalTimeout())
                .thenCompose(finalReply -> finish(mailReply, rcpts, finalReply));
    }

    /** Results per recipient from MAIL, RCPT and the final reply (null when DATA was never completed). */
    private CompletableFuture<Outcome> finish(SmtpReply mailReply, List<CompletableFuture<SmtpReply>> rcpts,
            SmtpReply finalReply) {
        List<RecipientResult> results = new ArrayList<>();
        boolean transactionOpen = finalReply == null && mailReply.positive();
        for (int i = 0; i < recipients.size(); i++) {
            SmtpReply decisive = !mailReply.positive() ? mailReply
                    : i < rcpts.size() && !rcpts.get(i).join().positive() ? rcpts.get(i).join()
                    : finalReply != null ? finalReply : rcpts.isEmpty() ? mailReply : rcpts.get(i).join();
            results.add(result(recipients.get(i), decisive, finalReply == null && decisive.positive()));
        }
        // After XCLIENT the session is the original client's: never reused for another message.
        boolean reusable = connection.usable() && (finalReply == null || finalReply.code() != 421) && mailReply.code() != 421
                && !forwarded.sessionChanged();
        if (transactionOpen && reusable) {
            // MAIL was accepted but nothing was sent: RSET before the connection carries another message.
            return connection.send("RSET", settings.commandTimeout(), true)
                    .thenApply(reply -> new Outcome(results, reply.positive() && connection.usable(), forwarded.how()));
        }
        return CompletableFuture.completedFuture(new Outcome(results, reusable, forwarded.how()));
    }

    private RecipientResult result(Recipient recipient, SmtpReply reply, boolean notSent) {
        String host = connection.target().host();
        if (notSent) {
            // RCPT accepted but the message never went (DATA refused without a reply to blame): try again.
            return new RecipientResult(recipient, DeliveryStatus.DEFERRED, "4.0.0",
                    "message not sent to " + connection.target(), host, false);
        }
        DeliveryStatus status = reply.positive() ? DeliveryStatus.DELIVERED
                : reply.temporary() ? DeliveryStatus.DEFERRED : DeliveryStatus.BOUNCED;
        return new RecipientResult(recipient, status, reply.enhancedCode(), reply.text(), host, true);
    }

    private String mailCommand() {
        Envelope envelope = message.envelope();
        StringBuilder command = new StringBuilder("MAIL FROM:<").append(envelope.sender()).append('>');
        if (connection.ehloReply().hasKeyword("SIZE")) {
            command.append(" SIZE=").append(message.size());
        }
        if (envelope.body() == BodyType.EIGHT_BIT_MIME) {
            command.append(" BODY=8BITMIME");
        }
        if (envelope.smtputf8()) {
            command.append(" SMTPUTF8");
        }
        if (envelope.requireTls() && connection.ehloReply().hasKeyword("REQUIRETLS")) {
            // RFC 8689 4.2.1: the next hop takes on the same obligation (only the local hand-off may lack it).
            command.append(" REQUIRETLS");
        }
        if (dsn && !envelope.ret().isEmpty()) {
            command.append(" RET=").append(envelope.ret());
        }
        if (dsn && !envelope.envid().isEmpty()) {
            command.append(" ENVID=").append(envelope.envid());
        }
        return command.toString();
    }

    private String rcptCommand(Recipient recipient) {
        StringBuilder command = new StringBuilder("RCPT TO:<").append(recipient.address()).append('>');
        // RFC 3461 4: DSN parameters only to a peer that announces DSN.
        if (dsn && !recipient.notifyOn().isEmpty()) {
            command.append(" NOTIFY=").append(String.join(",", recipient.notifyOn().stream()
                    .sorted().map(Notify::name).toList()));
        }
        if (dsn && !recipient.orcpt().isEmpty()) {
            command.append(" ORCPT=").append(recipient.orcpt());
        }
        return command.toString();
    }

    private static CompletableFuture<Void> allOf(List<CompletableFuture<SmtpReply>> replies) {
        return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new));
    }
}
