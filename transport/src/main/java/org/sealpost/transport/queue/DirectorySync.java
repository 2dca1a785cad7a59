package org.sealpost.transport.queue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Group commit of a folder: every rename into the folder must be followed by an fsync of the
 * folder before its 250 reply, but one fsync covers all renames done before it starts. Requests
 * arriving while an fsync runs wait for the next one, so each waits for at most two.
 */
final class DirectorySync {

    private final Path directory;
    private final Thread thread;
    private List<CompletableFuture<Void>> waiting = new ArrayList<>();
    private boolean closed;

    DirectorySync(Path directory) {
        this.directory = directory;
        this.thread = new Thread(this::run, "queue-dirsync");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Completes after an fsync of the folder that started after this call. */
    CompletableFuture<Void> request() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                done.completeExceptionally(new IOException("the queue is closed"));
                return done;
            }
            waiting.add(done);
            notifyAll();
        }
        return done;
    }

    void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
    }

    private void run() {
        while (true) {
            List<CompletableFuture<Void>> batch;
            synchronized (this) {
                while (waiting.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (waiting.isEmpty()) {
                    return;
                }
                batch = waiting;
                waiting = new ArrayList<>();
            }
            try {
                sync(directory);
                batch.forEach(f -> f.complete(null));
            } catch (IOException e) {
                batch.forEach(f -> f.completeExceptionally(e));
            }
        }
    }

    /** fsync of a folder: makes the names in it (renames, new files) durable. */
    static void sync(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
