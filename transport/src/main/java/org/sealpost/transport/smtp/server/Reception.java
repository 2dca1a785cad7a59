package org.sealpost.transport.smtp.server;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.sealpost.transport.queue.Additions;
import org.sealpost.transport.queue.Incoming;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message on its way in, from the first octet of DATA or BDAT to the reply to its end: the
 * content goes past the checks and the filter into the queue file, the client's header section
 * held until it is whole so that the filter may drop fields from it before it is written
 * (Authentication-Results that claim our authserv-id, RFC 8601 5), then {@link #end} decides.
 */
final class Reception {

    private static final Logger LOG = LoggerFactory.getLogger(Reception.class);
    /** The most header octets held before the body begins; far above real messages (Postfix keeps 100 KiB). */
    static final int HEADER_LIMIT = 1 << 20;

    private final Incoming incoming;
    private final MessageFilter.Run run;
    private final ContentCheck check;
    private final long sizeLimit;
    private final boolean refuseLargeHeader;
    private final String client;
    private final ByteArrayOutputStream header = new ByteArrayOutputStream();
    private boolean holding = true;
    private int matched; // how much of CRLF CRLF the last header octets matched
    private String failure;

    /**
     * @param received the Received field this hop adds, written first
     * @param run the filter's look at this message, or null
     * @param refuseLargeHeader whether a header section over {@link #HEADER_LIMIT} is refused (mx
     *     listeners, whose filter must see the header whole) rather than stored as it came
     */
    Reception(Incoming incoming, String received, MessageFilter.Run run, SessionLimits limits, boolean refuseLargeHeader,
            String client) {
        this.incoming = incoming;
        this.run = run;
        this.check = new ContentCheck(limits.textLineLimit());
        this.sizeLimit = limits.messageSizeLimit();
        this.refuseLargeHeader = refuseLargeHeader;
        this.client = client;
        write(ByteBuffer.wrap(received.getBytes(StandardCharsets.UTF_8)));
    }

    String queueId() {
        return incoming.queueId();
    }

    /** The next content octets (the buffer stays the caller's). */
    void accept(ByteBuf bytes) {
        if (failure != null) {
            return; // a message already given up: its octets are read and dropped
        }
        check.accept(bytes);
        if (check.size() > sizeLimit) {
            fail("552 5.3.4 Error: message size exceeds fixed limit");
            return;
        }
        for (ByteBuffer buffer : bytes.nioBuffers()) {
            if (run != null) {
                run.accept(buffer.duplicate());
            }
            hold(buffer);
        }
    }

    /** Holds header octets until the blank line, then writes the header as the filter leaves it, then the rest. */
    private void hold(ByteBuffer buffer) {
        while (holding && buffer.hasRemaining()) {
            // Scan for CRLF CRLF, then keep what was scanned in one copy rather than octet by octet.
            int from = buffer.position();
            int room = HEADER_LIMIT - header.size();
            int i = from;
            boolean ended = false;
            while (i < buffer.limit() && i - from < room && !ended) {
                byte b = buffer.get(i++);
                matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
                // A message that starts with CRLF has an empty header section.
                ended = matched == 4 || header.size() + (i - from) == 2 && matched == 2;
            }
            byte[] scanned = new byte[i - from];
            buffer.get(scanned);
            header.writeBytes(scanned);
            if (ended) {
                releaseHeader();
            } else if (header.size() >= HEADER_LIMIT) {
                if (refuseLargeHeader) {
                    fail("552 5.3.4 Error: header section exceeds " + HEADER_LIMIT + " octets");
                    return;
                }
                holding = false;
                write(ByteBuffer.wrap(header.toByteArray()));
            }
        }
        if (buffer.hasRemaining()) {
            write(buffer);
        }
    }

    private void releaseHeader() {
        holding = false;
        byte[] section = header.toByteArray();
        write(ByteBuffer.wrap(run == null ? section : run.header(section)));
    }

    private void write(ByteBuffer content) {
        if (failure != null) {
            return;
        }
        try {
            incoming.write(content);
        } catch (IOException e) {
            LOG.warn("warning: {}: queue file write error: {}", incoming.queueId(), e.getMessage());
            fail("451 4.3.0 Error: queue file write error");
        }
    }

    private void fail(String reply) {
        failure = reply;
        incoming.abort();
    }

    /** Why the message was given up while it arrived (size, queue file), or null. */
    String failure() {
        return failure;
    }

    /**
     * The end of the content, as chasquid's DATA reads: check, verify, add the trace and result
     * fields, queue, reply. The reply completes once the message is on disk or refused; it may wait
     * for DNS, never for the client.
     *
     * @param verb DATA or BDAT, for the log line of a refusal
     */
    CompletableFuture<String> end(String verb) {
        // Read: the content is all here; a message of header fields only ends its header section now.
        if (holding && failure == null) {
            releaseHeader();
        }
        // Check: what RFC 5321 refuses whatever the filter says.
        String refusal = failure != null ? failure : check.refusal();
        if (refusal != null) {
            return refuse(verb, refusal, "");
        }
        // Verify: the filter decides before the 250 (the inbound checks or DKIM signing).
        CompletableFuture<MessageFilter.Outcome> decided = run == null
                ? CompletableFuture.completedFuture(MessageFilter.Outcome.accept(Additions.NONE)) : run.finish();
        return decided.handle((outcome, problem) -> {
            if (problem != null) {
                return refuse("END-OF-MESSAGE", "451 4.3.0 Error: cannot check the message now; try again later",
                        " (" + problem + ")");
            }
            if (outcome.refusal() != null) {
                return refuse("END-OF-MESSAGE", outcome.refusal(), "");
            }
            // Add the trace fields and queue: the Received field is the first line of the file, the
            // filter's fields (Authentication-Results, DKIM-Signature) go before it; 250 once on disk.
            return incoming.commit(outcome.additions()).handle((id, failed) -> {
                if (failed != null) {
                    LOG.warn("warning: {}: queue file write error: {}", incoming.queueId(), failed.getMessage());
                    return "451 4.3.0 Error: queue file write error";
                }
                if (run != null) {
                    try {
                        run.queued();
                    } catch (RuntimeException e) {
                        // The message is queued: its 250 must go out, or the client sends it again.
                        LOG.warn("warning: {}: after queueing: {}", id, e.toString());
                    }
                }
                return "250 2.0.0 Ok: queued as " + id;
            });
        }).thenCompose(reply -> reply);
    }

    private CompletableFuture<String> refuse(String stage, String reply, String detail) {
        LOG.info("{}: reject: {} from {}: {}{}", incoming.queueId(), stage, client, reply, detail);
        incoming.abort();
        return CompletableFuture.completedFuture(reply);
    }

    /** The client went away or the transaction was reset. */
    void abort() {
        incoming.abort();
    }
}
