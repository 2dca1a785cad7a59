package org.sealpost.transport.queue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * The queue_directory cannot be used: another Sealpost holds its lock, or it cannot be created,
 * read or written. The message is whole (what, where, what to do), for the person starting the relay.
 */
public final class QueueDirectoryException extends IOException {

    private static final long serialVersionUID = 1L;

    QueueDirectoryException(String message) {
        super(message);
    }

    private QueueDirectoryException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Words a file system failure on {@code directory} (or a file in it) for the person starting the relay. */
    static QueueDirectoryException of(Path directory, IOException failure) {
        if (failure instanceof QueueDirectoryException already) {
            return already;
        }
        String where = "queue_directory " + directory + ": ";
        String user = "the user Sealpost runs as (" + uid() + ")";
        if (failure instanceof AccessDeniedException denied) {
            return new QueueDirectoryException(where + "permission denied" + on(directory, denied.getFile())
                    + "; make it writable by " + user, failure);
        }
        if (failure instanceof FileAlreadyExistsException exists) {
            return new QueueDirectoryException(where + "cannot create it: " + exists.getFile()
                    + " exists and is not a folder; choose another path or remove that file", failure);
        }
        if (failure instanceof FileSystemException system) {
            String reason = system.getReason() != null ? system.getReason() : system.getClass().getSimpleName();
            return new QueueDirectoryException(where + "cannot create or write it (" + system.getFile() + ": " + reason
                    + "); make it a folder writable by " + user, failure);
        }
        return new QueueDirectoryException(where + "cannot use it (" + failure.getMessage() + "); make it a folder "
                + "writable by " + user, failure);
    }

    /** " on FILE" when the failure was on a file below the directory, not on the directory or its parents. */
    private static String on(Path directory, String file) {
        if (file == null) {
            return "";
        }
        Path failed = Path.of(file);
        return directory.startsWith(failed) ? "" : " on " + failed;
    }

    /** The process's user id, "uid N", for messages about file ownership ("uid unknown" off Unix). */
    static String uid() {
        try {
            return "uid " + new com.sun.security.auth.module.UnixSystem().getUid();
        } catch (LinkageError | RuntimeException e) {
            return "uid unknown";
        }
    }
}
