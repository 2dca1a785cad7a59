package org.sealpost.transport.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The lock of a queue_directory: the file {@code lock} in it, held with an exclusive lock for the
 * life of the process, with the holder's pid written in it. Two relays on one queue would deliver
 * each other's messages, and one would remove files the other still reads. The operating system
 * releases the lock when the process ends, even by SIGKILL, so a stale lock file blocks nothing.
 */
final class QueueLock implements AutoCloseable {

    static final String NAME = "lock";

    private final FileChannel channel;
    private final FileLock lock;

    private QueueLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code directory} (which must exist) or throws {@link QueueDirectoryException}
     * naming the process that holds it; other failures come as they are.
     */
    static QueueLock acquire(Path directory) throws IOException {
        QueueLock lock = tryAcquire(directory);
        if (lock == null) {
            throw new QueueDirectoryException("queue_directory " + directory + " is in use by another Sealpost "
                    + "process (pid " + holder(directory) + ", lock " + directory.resolve(NAME) + ")");
        }
        return lock;
    }

    /** The pid in the lock file of {@code directory}, or "unknown". */
    static String holder(Path directory) {
        try (FileChannel channel = FileChannel.open(directory.resolve(NAME), StandardOpenOption.READ)) {
            return holder(channel);
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Takes the lock of {@code directory}, or returns null when another process (or this one) holds it. */
    static QueueLock tryAcquire(Path directory) throws IOException {
        Path file = directory.resolve(NAME);
        // No TRUNCATE_EXISTING: the file holds the running holder's pid until the lock is ours.
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), OwnerOnly.file(file));
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process
            }
            if (lock == null) {
                channel.close();
                return null;
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(true);
            return new QueueLock(channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The pid written by the process holding the lock, or "unknown" (it may not have written it yet). */
    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer content = ByteBuffer.allocate(32);
        while (content.hasRemaining() && channel.read(content, content.position()) > 0) {
            // fill
        }
        String pid = new String(content.array(), 0, content.position(), StandardCharsets.US_ASCII).trim();
        return pid.matches("[0-9]{1,19}") ? pid : "unknown";
    }

    /** Releases the lock; the file stays (removing it would let a third process lock a new file beside a holder). */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock in any case
        }
    }
}
