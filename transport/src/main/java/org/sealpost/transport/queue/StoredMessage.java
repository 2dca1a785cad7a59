package org.sealpost.transport.queue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** A committed message: its file, where the content lies in it, and the recipients' states. */
final class StoredMessage implements QueuedMessage {

    private final String queueId;
    private final Envelope envelope;
    private final Path file;
    private final long contentOffset;
    private final long contentLength;
    private final char[] states;
    private final long[] stateOffsets;
    private final Additions additions;
    private final byte[] prepend;

    StoredMessage(String queueId, Envelope envelope, Path file, long contentOffset, long contentLength, char[] states,
            long[] stateOffsets, Additions additions) {
        this.additions = additions;
        this.prepend = additions.prependOctets();
        this.queueId = queueId;
        this.envelope = envelope;
        this.file = file;
        this.contentOffset = contentOffset;
        this.contentLength = contentLength;
        this.states = states;
        this.stateOffsets = stateOffsets;
    }

    static StoredMessage of(Path file, QueueFile.Parsed parsed) {
        return new StoredMessage(parsed.queueId(), parsed.envelope(), file, parsed.contentOffset(),
                parsed.contentLength(), parsed.states(), parsed.stateOffsets(), parsed.additions());
    }

    @Override
    public String queueId() {
        return queueId;
    }

    @Override
    public Envelope envelope() {
        return envelope;
    }

    @Override
    public long size() {
        return prepend.length + contentLength;
    }

    @Override
    public List<String> results() {
        return additions.results();
    }

    Path file() {
        return file;
    }

    char[] states() {
        return states;
    }

    @Override
    public InputStream openContent() throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(contentOffset);
        InputStream stored = Channels.newInputStream(channel);
        InputStream raw = prepend.length == 0 ? stored
                : new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(prepend), stored);
        return new BufferedInputStream(new InputStream() {
            private long left = prepend.length + contentLength;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = raw.read(b, off, (int) Math.min(len, left));
                if (n < 0) {
                    // Cut while queued: never send a shortened message as if it were whole.
                    throw new CorruptQueueFileException("queue file " + file + " is shorter than when it was queued");
                }
                left -= n;
                return n;
            }

            @Override
            public void close() throws IOException {
                raw.close();
                stored.close();
            }
        }, 64 * 1024);
    }

    /** Reads the file back as recovery does and checks it is still this message; throws if not. */
    void verify() throws IOException {
        QueueFile.Parsed parsed = QueueFile.read(file);
        if (!parsed.queueId().equals(queueId) || parsed.contentOffset() != contentOffset
                || parsed.contentLength() != contentLength) {
            throw new CorruptQueueFileException("the file changed while queued: it no longer holds message " + queueId
                    + " as it was accepted");
        }
    }

    /** Records final states in place and syncs them, so a restart does not deliver those recipients again. */
    void writeStates() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int i = 0; i < states.length; i++) {
                channel.write(ByteBuffer.wrap(new byte[] {(byte) states[i]}), stateOffsets[i]);
            }
            channel.force(false);
        }
    }
}
