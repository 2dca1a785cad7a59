package org.sealpost.transport.queue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Queues messages that Sealpost writes itself (TLS-RPT reports) into the spool of a stopped relay:
 * the command holds the queue lock meanwhile, writes each message as the relay would (temporary
 * file, synced, renamed into {@code active/}, folder synced), and the relay attempts them at its
 * next start, as it does every message it finds there.
 */
public final class StoppedSpoolWriter implements MessageSink, AutoCloseable {

    private final QueueLock lock;
    private final Path incoming;
    private final Path active;
    private final DirectorySync activeSync;
    private final ExecutorService io = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "spool-writer");
        thread.setDaemon(true);
        return thread;
    });

    private StoppedSpoolWriter(QueueLock lock, Path directory) throws IOException {
        this.lock = lock;
        this.incoming = directory.resolve("incoming");
        this.active = directory.resolve("active");
        OwnerOnly.createFolder(incoming);
        OwnerOnly.createFolder(active);
        this.activeSync = new DirectorySync(active);
    }

    /**
     * Takes the lock of {@code directory} (created when missing) and opens the spool for writing, or
     * returns null when a running relay holds the lock.
     */
    public static StoppedSpoolWriter open(Path directory) throws IOException {
        OwnerOnly.createFolder(directory);
        QueueLock lock = QueueLock.tryAcquire(directory);
        if (lock == null) {
            return null;
        }
        try {
            return new StoppedSpoolWriter(lock, directory);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The pid of the relay that holds the lock of {@code directory}, or "unknown". */
    public static String holder(Path directory) {
        return QueueLock.holder(directory);
    }

    @Override
    public Incoming receive(Envelope envelope) throws IOException {
        String id = QueueId.next();
        return new SpoolWriter(id, envelope, incoming.resolve(id), active.resolve(id), io, activeSync, message -> { });
    }

    @Override
    public void close() {
        io.shutdown();
        activeSync.close();
        lock.close();
    }
}
