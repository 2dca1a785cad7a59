package org.sealpost.transport.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySyncTest {

    @TempDir
    Path folder;

    @Test
    void manyWritersAtOnce_allReturn_withTheirFilesInPlace() throws Exception {
        DirectorySync sync = new DirectorySync(folder);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Path>> done = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    start.await();
                    Path file = Files.writeString(folder.resolve("m" + n), "x");
                    sync.await();
                    return file;
                }));
            }
            start.countDown();
            for (Future<Path> f : done) {
                assertTrue(Files.exists(f.get(30, TimeUnit.SECONDS)));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedFsync_failsTheWritersItCovered_andTheNextBatchTriesAgain() throws Exception {
        Path gone = folder.resolve("gone");
        DirectorySync sync = new DirectorySync(gone);
        IOException failure = assertThrows(IOException.class, sync::await);
        assertTrue(failure.getMessage().contains("gone"), failure.getMessage());
        Files.createDirectory(gone);
        sync.await(); // the folder is there now: the next request gets its own, successful fsync
    }

    @Test
    void afterClose_requestsAreRefused() {
        DirectorySync sync = new DirectorySync(folder);
        sync.close();
        assertEquals("the queue is closed", assertThrows(IOException.class, sync::await).getMessage());
    }
}
