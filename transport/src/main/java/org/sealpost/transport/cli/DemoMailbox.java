package org.sealpost.transport.cli;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.queue.Additions;
import org.sealpost.transport.queue.Incoming;
import org.sealpost.transport.queue.MessageSink;

/** A destination that keeps what arrives in memory: the demo prints it, tests of the whole relay read it. */
public final class DemoMailbox implements MessageSink {

    /** A message as the destination received it. */
    /** A message as it arrived: the content with any prepended fields, and the recorded results. */
    public record Delivered(Envelope envelope, String content, java.util.List<String> results) {
    }

    private final BlockingQueue<Delivered> delivered = new LinkedBlockingQueue<>();

    public BlockingQueue<Delivered> delivered() {
        return delivered;
    }

    @Override
    public Incoming receive(Envelope envelope) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        String id = "DEMO" + Long.toHexString(System.nanoTime()).toUpperCase();
        return new Incoming() {
            @Override
            public String queueId() {
                return id;
            }

            @Override
            public void write(ByteBuffer bytes) {
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                content.writeBytes(copy);
            }

            @Override
            public CompletableFuture<String> commit(Additions additions) {
                delivered.add(new Delivered(envelope, String.join("", additions.prepend())
                        + content.toString(java.nio.charset.StandardCharsets.UTF_8), additions.results()));
                return CompletableFuture.completedFuture(id);
            }

            @Override
            public void abort() {
                content.reset();
            }
        };
    }
}
