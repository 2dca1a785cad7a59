package org.sealpost.transport.queue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Group commit of a folder: every rename into the folder must be followed by an fsync of the
 * folder before its 250 reply, but one fsync covers all renames done before it starts. The first
 * thread to ask while no fsync runs does it itself; those that ask while it runs join the next
 * batch, whose fsync the first of them does once the running one ends, so each waits for at most
 * two and no message waits for a hand-off to another thread.
 */
final class DirectorySync {

    /** The renames one fsync covers: those that asked before it started. */
    private static final class Batch {
        boolean done;
        IOException failure;
    }

    private final Path directory;
    private Batch open = new Batch();
    private boolean running;
    private boolean closed;

    DirectorySync(Path directory) {
        this.directory = directory;
    }

    /**
     * Returns once an fsync of the folder that started after this call has finished: the names
     * renamed into it before the call are durable. Blocks, so never on an event loop.
     */
    void await() throws IOException {
        Batch mine;
        synchronized (this) {
            if (closed) {
                throw new IOException("the queue is closed");
            }
            mine = open;
            while (true) {
                if (mine.done) {
                    if (mine.failure != null) {
                        throw new IOException(mine.failure.getMessage(), mine.failure);
                    }
                    return;
                }
                if (!running) {
                    // Nobody syncs: this thread does, for every rename that asked until now.
                    running = true;
                    open = new Batch();
                    break;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the fsync of " + directory);
                }
            }
        }
        IOException failure = null;
        try {
            sync(directory);
        } catch (IOException e) {
            failure = e;
        }
        synchronized (this) {
            mine.failure = failure;
            mine.done = true;
            running = false;
            notifyAll();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Refuses later requests; a batch already waiting still gets its fsync. */
    synchronized void close() {
        closed = true;
    }

    /** fsync of a folder: makes the names in it (renames, new files) durable. */
    static void sync(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
