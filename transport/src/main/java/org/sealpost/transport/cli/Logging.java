package org.sealpost.transport.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the log to the file of the configuration's log_file instead of standard error, and opens
 * that file again on SIGHUP: after logrotate renamed it, the lines go to a new file by that name
 * instead of following the old one (as Postfix's postlog does, no copytruncate needed).
 */
final class Logging {

    private static final String APPENDER = "FILE";

    private Logging() {
    }

    static void toFile(Path file) {
        ch.qos.logback.classic.Logger root = root();
        root.detachAppender("STDERR");
        root.addAppender(appender(file));
    }

    /**
     * Opens log_file again. The new appender is attached before the old one is stopped, so that no
     * line is lost in between (a line at that very moment may land in both files).
     */
    static void reopen(Path file) {
        ch.qos.logback.classic.Logger root = root();
        Appender<ILoggingEvent> old = root.getAppender(APPENDER);
        FileAppender<ILoggingEvent> fresh = appender(file);
        if (old != null) {
            root.detachAppender(old);
        }
        root.addAppender(fresh);
        if (old != null) {
            old.stop();
        }
    }

    private static ch.qos.logback.classic.Logger root() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        return context.getLogger(Logger.ROOT_LOGGER_NAME);
    }

    private static FileAppender<ILoggingEvent> appender(Path file) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{MMM dd HH:mm:ss.SSS} sealpost/%logger{0}[%thread]: %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }
}
