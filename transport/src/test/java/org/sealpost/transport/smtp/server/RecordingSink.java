package org.sealpost.transport.smtp.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.queue.Additions;
import org.sealpost.transport.queue.Incoming;
import org.sealpost.transport.queue.MessageSink;

/** A queue stand-in that records what the session hands over; commits can be held back or failed. */
final class RecordingSink implements MessageSink {

    record Message(Envelope envelope, String content, Additions additions) {
    }

    final List<Message> committed = new ArrayList<>();
    int aborted;
    boolean holdCommits;
    boolean failCommits;
    boolean failReceive;
    final List<CompletableFuture<String>> held = new ArrayList<>();

    @Override
    public Incoming receive(Envelope envelope) throws IOException {
        if (failReceive) {
            throw new IOException("disk full");
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        return new Incoming() {
            @Override
            public String queueId() {
                return "00000000000000AB";
            }

            @Override
            public void write(ByteBuffer bytes) {
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                content.writeBytes(copy);
            }

            @Override
            public CompletableFuture<String> commit(Additions additions) {
                if (failCommits) {
                    return CompletableFuture.failedFuture(new IOException("fsync failed"));
                }
                CompletableFuture<String> done = new CompletableFuture<>();
                done.thenRun(() -> committed.add(new Message(envelope, content.toString(StandardCharsets.UTF_8), additions)));
                if (holdCommits) {
                    held.add(done);
                } else {
                    done.complete(queueId());
                }
                return done;
            }

            @Override
            public void abort() {
                aborted++;
            }
        };
    }
}
