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
    private final QueueFile.Notes notes;

    StoredMessage(String queueId, Envelope envelope, Path file, long contentOffset, long contentLength, char[] states,
            long[] stateOffsets, Additions additions, QueueFile.Notes notes) {
        this.notes = notes;
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
                parsed.contentLength(), parsed.states(), parsed.stateOffsets(), parsed.additions(), parsed.notes());
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

    /** Hold, attempts, next attempt and reasons: changed by the queue, written by {@link #writeNotes}. */
    QueueFile.Notes notes() {
        return notes;
    }

    /**
     * The header section of the message as it is delivered (the prepended fields, then the
     * content up to the empty line), at most {@code limit} bytes: what {@code queue show} prints.
     */
    String headerSection(int limit) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (InputStream in = openContent()) {
            int last = -1;
            int previous = -1;
            for (int b; out.size() < limit && (b = in.read()) >= 0; ) {
                if (b == '\n' && last == '\r' && previous == '\n') {
                    break;
                }
                out.write(b);
                previous = last;
                last = b;
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Small: a delivery reads in blocks at least this large, which pass the buffer by, and the
     * header-only readers (TLS-Required, queue show) stop early; a larger one is only zeroed.
     */
    private static final int READ_BUFFER = 8 * 1024;

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
        }, READ_BUFFER);
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

    /**
     * Records the states and the notes in place and syncs them, so that a restart neither
     * delivers finished recipients again nor forgets a hold, a reason or the next attempt. A
     * version 1 file has no room for the notes: it is rewritten once in the current format (a new
     * file renamed over it), and the message to use from then on is returned. Only while no attempt
     * reads the file: the content moves in the rewrite.
     */
    StoredMessage writeNotes(Path scratch) throws IOException {
        if (notes.slots == null) {
            return rewrite(scratch);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int i = 0; i < states.length; i++) {
                channel.write(ByteBuffer.wrap(new byte[] {(byte) states[i]}), stateOffsets[i]);
            }
            channel.write(ascii(String.valueOf(notes.held ? QueueFile.HELD : QueueFile.NOT_HELD)), notes.slots.hold());
            channel.write(ascii(QueueFile.next(notes.attempts, notes.nextAttempt)), notes.slots.next());
            for (int i = 0; i < states.length; i++) {
                channel.write(ascii(QueueFile.why(notes.reasons[i])), notes.slots.why()[i]);
            }
            channel.force(false);
        }
        return this;
    }

    /** The same message in a current-format file: new header, content and trailer copied as they are. */
    private StoredMessage rewrite(Path scratch) throws IOException {
        long[] offsets = new long[states.length];
        byte[] header = QueueFile.header(queueId, envelope, states, notes, offsets);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(scratch, java.util.Set.of(StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), OwnerOnly.file(scratch))) {
            ByteBuffer head = ByteBuffer.wrap(header);
            while (head.hasRemaining()) {
                out.write(head);
            }
            long size = in.size();
            for (long position = contentOffset; position < size; ) {
                position += in.transferTo(position, size - position, out);
            }
            out.force(false);
        }
        java.nio.file.Files.move(scratch, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        DirectorySync.sync(file.getParent());
        return new StoredMessage(queueId, envelope, file, header.length, contentLength, states, offsets, additions, notes);
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Whether a recipient waits for delivery, in {@code domain} when one is given. */
    boolean pendingIn(String domain) {
        List<Recipient> recipients = envelope.recipients();
        for (int i = 0; i < recipients.size(); i++) {
            if (states[i] == QueueFile.PENDING && (domain.isEmpty() || recipients.get(i).domain().equals(domain))) {
                return true;
            }
        }
        return false;
    }
}
