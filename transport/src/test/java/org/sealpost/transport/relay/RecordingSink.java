package org.sealpost.transport.relay;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.queue.Incoming;
import org.sealpost.transport.queue.MessageSink;

/** A destination that keeps what it receives in memory, for tests of the whole relay. */
final class RecordingSink implements MessageSink {

    record Received(Envelope envelope, String content) {
    }

    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    @Override
    public Incoming receive(Envelope envelope) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        return new Incoming() {
            @Override
            public String queueId() {
                return "SINK";
            }

            @Override
            public void write(ByteBuffer bytes) {
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                content.writeBytes(copy);
            }

            @Override
            public CompletableFuture<String> commit() {
                received.add(new Received(envelope, content.toString(StandardCharsets.UTF_8)));
                return CompletableFuture.completedFuture("SINK");
            }

            @Override
            public void abort() {
            }
        };
    }
}
