package org.sealpost.transport.tlsrpt;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.sealpost.transport.queue.Additions;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.queue.Incoming;
import org.sealpost.transport.queue.MessageSink;

/** A queue that keeps what is committed to it in memory. */
final class CapturingSink implements MessageSink {

    record Queued(Envelope envelope, byte[] content) {
    }

    final List<Queued> queued = new ArrayList<>();

    @Override
    public Incoming receive(Envelope envelope) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        return new Incoming() {
            @Override
            public String queueId() {
                return "Q" + queued.size();
            }

            @Override
            public void write(ByteBuffer bytes) {
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                content.writeBytes(copy);
            }

            @Override
            public CompletableFuture<String> commit(Additions additions) {
                queued.add(new Queued(envelope, content.toByteArray()));
                return CompletableFuture.completedFuture(queueId());
            }

            @Override
            public void abort() {
            }
        };
    }
}
