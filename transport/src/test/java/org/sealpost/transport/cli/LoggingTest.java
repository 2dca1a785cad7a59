package org.sealpost.transport.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LoggingTest {

    @TempDir
    Path dir;

    @AfterEach
    void restoreTheTestsLogging() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ch.qos.logback.classic.util.ContextInitializer(context).autoConfig();
    }

    @Test
    void reopen_afterTheFileWasMoved_writesToANewFileByThatName() throws Exception {
        Path file = dir.resolve("sealpost.log");
        Logger log = LoggerFactory.getLogger(LoggingTest.class);
        Logging.toFile(file);
        log.info("before rotation");
        Path rotated = dir.resolve("sealpost.log.1");
        Files.move(file, rotated); // what logrotate does
        log.info("between rotation and reopen");
        Logging.reopen(file);
        log.info("after reopen");
        log.info("and again");
        assertTrue(Files.exists(file), "no new log file");
        String fresh = Files.readString(file);
        String old = Files.readString(rotated);
        assertTrue(fresh.contains("after reopen") && fresh.contains("and again"), fresh);
        assertTrue(old.contains("before rotation") && old.contains("between rotation and reopen"), old);
        assertFalse(old.contains("after reopen"), old);
    }
}
