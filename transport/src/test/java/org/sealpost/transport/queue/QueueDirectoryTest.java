package org.sealpost.transport.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class QueueDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void open_createsTheFolderOwnerOnly_andWritesThePidInTheLock() throws Exception {
        Path queue = dir.resolve("spool/queue");
        try (QueueDirectory opened = QueueDirectory.open(queue)) {
            assertEquals(queue, opened.path());
            assertEquals("rwx------", mode(queue));
            assertEquals("rwx------", mode(queue.getParent()), "a parent created for the queue");
            assertEquals("rw-------", mode(queue.resolve("lock")));
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(queue.resolve("lock")));
        }
    }

    @Test
    void secondOpen_ofALockedQueue_failsNamingTheHolder_untilTheFirstCloses() throws Exception {
        QueueDirectory first = QueueDirectory.open(dir);
        QueueDirectoryException second = assertThrows(QueueDirectoryException.class, () -> QueueDirectory.open(dir));
        assertEquals("queue_directory " + dir + " is in use by another Sealpost process (pid "
                + ProcessHandle.current().pid() + ", lock " + dir.resolve("lock") + ")", second.getMessage());
        assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(dir.resolve("lock")),
                "the failed attempt overwrote the holder's pid");
        first.close();
        QueueDirectory.open(dir).close();
    }

    @Test
    void looserModesFound_areTightened_withOneWarningPerFolder() throws Exception {
        Path active = Files.createDirectories(dir.resolve("active"));
        Files.setPosixFilePermissions(active, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String name : List.of("0001", "0002")) {
            Files.writeString(active.resolve(name), "mail");
            Files.setPosixFilePermissions(active.resolve(name), PosixFilePermissions.fromString("rw-r--r--"));
        }
        Path pins = Files.createDirectories(dir.resolve("pins"));
        Files.setPosixFilePermissions(pins, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(pins.resolve("61.rec"), "pin");
        Files.setPosixFilePermissions(pins.resolve("61.rec"), PosixFilePermissions.fromString("rw-rw-r--"));
        Path corrupt = Files.createDirectories(dir.resolve("corrupt"));
        Files.setPosixFilePermissions(corrupt, PosixFilePermissions.fromString("rwxr-x---"));

        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger(QueueDirectory.class);
        logger.addAppender(log);
        try (QueueDirectory opened = QueueDirectory.open(dir)) {
            for (Path folder : List.of(dir, active, pins, corrupt)) {
                assertEquals("rwx------", mode(folder), folder.toString());
            }
            for (Path file : List.of(active.resolve("0001"), active.resolve("0002"), pins.resolve("61.rec"))) {
                assertEquals("rw-------", mode(file), file.toString());
            }
        } finally {
            logger.detachAppender(log);
        }
        List<String> warnings = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(3, warnings.size(), "one warning per folder: " + warnings);
        assertEquals(Set.of(
                "warning: queue folder " + pins + " held 1 file readable by others; changed them to rw-------",
                "warning: queue folder " + active + " was open to other users (mode rwxr-xr-x, 2 files readable by "
                        + "others); changed it to rwx------ and its files to rw-------",
                "warning: queue folder " + corrupt + " was open to other users (mode rwxr-x---); changed it to rwx------"), Set.copyOf(warnings));
    }

    @Test
    void queueUnderARegularFile_failsWithAFullMessage() throws Exception {
        // Root may write anywhere, but nobody can create a folder inside a regular file.
        Path file = Files.writeString(dir.resolve("not-a-folder"), "");
        Path queue = file.resolve("queue");
        QueueDirectoryException e = assertThrows(QueueDirectoryException.class, () -> QueueDirectory.open(queue));
        assertEquals("queue_directory " + queue + ": cannot create or write it (" + queue + ": Not a directory); "
                + "make it a folder writable by the user Sealpost runs as (" + QueueDirectoryException.uid() + ")",
                e.getMessage());
    }

    @Test
    void permissionDenied_saysToMakeItWritableByTheUserSealpostRunsAs() {
        Path queue = Path.of("/var/spool/sealpost");
        assertEquals("queue_directory /var/spool/sealpost: permission denied; make it writable by the user Sealpost "
                + "runs as (" + QueueDirectoryException.uid() + ")",
                QueueDirectoryException.of(queue, new AccessDeniedException("/var/spool/sealpost")).getMessage());
        assertEquals("queue_directory /var/spool/sealpost: permission denied on /var/spool/sealpost/active; make it "
                + "writable by the user Sealpost runs as (" + QueueDirectoryException.uid() + ")",
                QueueDirectoryException.of(queue, new AccessDeniedException("/var/spool/sealpost/active")).getMessage());
        assertTrue(QueueDirectoryException.uid().matches("uid [0-9]+"), QueueDirectoryException.uid());
    }

    @Test
    void fileSystemWithoutModes_isUsedWithoutThem() throws Exception {
        try (FileSystem zip = FileSystems.newFileSystem(dir.resolve("queue.zip"), Map.of("create", "true"))) {
            Path queue = zip.getPath("/queue/active");
            OwnerOnly.createFolder(queue);
            try (FileChannel file = FileChannel.open(queue.resolve("0001"), Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), OwnerOnly.file(queue.resolve("0001")))) {
                file.write(ByteBuffer.wrap(new byte[] {1}));
            }
            OwnerOnly.tighten(zip.getPath("/queue"), LoggerFactory.getLogger(QueueDirectoryTest.class));
            assertTrue(Files.isDirectory(queue));
        }
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
