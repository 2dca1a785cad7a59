package org.sealpost.transport.queue;

import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue_directory, opened by the relay before anything reads or writes in it: created 0700
 * when missing, locked against a second Sealpost for the life of the process, and with every
 * folder and file in it made owner-only (mail is for Sealpost's user alone). Closing releases the lock.
 */
public final class QueueDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueDirectory.class);

    private final Path path;
    private final QueueLock lock;

    private QueueDirectory(Path path, QueueLock lock) {
        this.path = path;
        this.lock = lock;
    }

    /** Opens {@code directory}; a message of the exception says what is wrong and what to do. */
    public static QueueDirectory open(Path directory) throws QueueDirectoryException {
        QueueLock lock;
        try {
            OwnerOnly.createFolder(directory);
            lock = QueueLock.acquire(directory);
        } catch (IOException e) {
            throw QueueDirectoryException.of(directory, e);
        }
        try {
            // After the lock: a second instance must not touch the files of the one that holds it.
            OwnerOnly.tighten(directory, LOG);
        } catch (IOException e) {
            lock.close();
            throw QueueDirectoryException.of(directory, e);
        }
        return new QueueDirectory(directory, lock);
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        lock.close();
    }
}
