package org.sealpost.transport.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * One message being received: the header goes to a temporary file at once, the content is
 * buffered and appended as it arrives, and commit makes it durable and moves it into place.
 */
final class SpoolWriter implements Incoming {

    /** A small message needs no more; a larger one gets {@link #BUFFER} once it fills this. */
    private static final int FIRST_BUFFER = 8 * 1024;
    private static final int BUFFER = 64 * 1024;

    private final String queueId;
    private final Envelope envelope;
    private final Path temporary;
    private final Path target;
    private final FileChannel channel;
    private final long[] stateOffsets;
    private final long contentOffset;
    private final QueueFile.Notes notes;
    private ByteBuffer buffer = ByteBuffer.allocate(FIRST_BUFFER);
    private final CRC32C crc = new CRC32C();
    private final Executor io;
    private final DirectorySync activeSync;
    private final Consumer<StoredMessage> onCommitted;
    private long contentLength;
    private boolean finished;

    SpoolWriter(String queueId, Envelope envelope, Path temporary, Path target, Executor io, DirectorySync activeSync,
            Consumer<StoredMessage> onCommitted) throws IOException {
        this.queueId = queueId;
        this.envelope = envelope;
        this.temporary = temporary;
        this.target = target;
        this.io = io;
        this.activeSync = activeSync;
        this.onCommitted = onCommitted;
        this.stateOffsets = new long[envelope.recipients().size()];
        char[] states = new char[envelope.recipients().size()];
        java.util.Arrays.fill(states, QueueFile.PENDING);
        this.notes = new QueueFile.Notes(states.length);
        byte[] header = QueueFile.header(queueId, envelope, states, notes, stateOffsets);
        this.contentOffset = header.length;
        // Owner-only from creation: no moment in which another local user could open the mail.
        this.channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                OwnerOnly.file(temporary));
        writeFully(ByteBuffer.wrap(header));
    }

    @Override
    public String queueId() {
        return queueId;
    }

    @Override
    public void write(ByteBuffer content) throws IOException {
        if (finished) {
            throw new IOException("message " + queueId + " is already committed or aborted");
        }
        contentLength += content.remaining();
        crc.update(content.duplicate());
        while (content.hasRemaining()) {
            if (!buffer.hasRemaining()) {
                flushBuffer();
                if (buffer.capacity() < BUFFER) {
                    buffer = ByteBuffer.allocate(BUFFER);
                }
            }
            int n = Math.min(buffer.remaining(), content.remaining());
            ByteBuffer slice = content.duplicate();
            slice.limit(slice.position() + n);
            buffer.put(slice);
            content.position(content.position() + n);
        }
    }

    @Override
    public CompletableFuture<String> commit(Additions additions) {
        if (finished) {
            return CompletableFuture.failedFuture(new IOException("message " + queueId + " is already finished"));
        }
        finished = true;
        // fdatasync, rename and the folder fsync block: never on the caller's (event loop) thread.
        return CompletableFuture.supplyAsync(() -> {
            try {
                flushBuffer();
                byte[] extras = QueueFile.extras(additions);
                crc.update(extras);
                writeFully(ByteBuffer.wrap(QueueFile.trailer(contentLength, extras, crc.getValue())));
                channel.force(false);
                channel.close();
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                discard();
                throw new UncheckedIOException(e);
            }
            try {
                // Renamed: from here a failure leaves the file for the next start, never half gone.
                activeSync.await();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            StoredMessage message = new StoredMessage(queueId, envelope, target, contentOffset, contentLength,
                    new char[envelope.recipients().size()], stateOffsets, additions, notes);
            java.util.Arrays.fill(message.states(), QueueFile.PENDING);
            onCommitted.accept(message);
            return queueId;
        }, io);
    }

    @Override
    public void abort() {
        if (!finished) {
            finished = true;
            discard();
        }
    }

    private void discard() {
        try {
            channel.close();
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            // left for the recovery on the next start, which removes unfinished files
        }
    }

    private void flushBuffer() throws IOException {
        buffer.flip();
        writeFully(buffer);
        buffer.clear();
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }
}
