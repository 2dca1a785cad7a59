package org.sealpost.transport.queue;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * The modes of the queue: the mail in it is for Sealpost's user alone, so folders are created
 * 0700 and files 0600, with the mode given at creation (no window in which another user could
 * open the file), and looser modes found at start are tightened. On a file system without POSIX
 * modes there is nothing to set, and nothing is.
 */
final class OwnerOnly {

    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** The attributes that create a file 0600, none where the file system has no POSIX modes. */
    static FileAttribute<?>[] file(Path path) {
        return posix(path) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    /** Creates the folder (and missing parents) 0700; an existing folder is left as it is. */
    static void createFolder(Path folder) throws IOException {
        if (posix(folder)) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(FOLDER));
        } else {
            Files.createDirectories(folder);
        }
    }

    /**
     * Removes the group and other bits from every folder and file under {@code root} (symbolic
     * links are not followed), with one warning per folder that had any.
     */
    static void tighten(Path root, Logger log) throws IOException {
        if (!posix(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            private final Map<Path, Integer> opened = new HashMap<>();
            private final Map<Path, String> folderModes = new HashMap<>();
            private boolean settable = true;

            @Override
            public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) throws IOException {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(folder);
                if (!disjoint(mode) && set(folder, FOLDER)) {
                    folderModes.put(folder, PosixFilePermissions.toString(mode));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile() && !disjoint(Files.getPosixFilePermissions(file)) && set(file, FILE)) {
                    opened.merge(file.getParent(), 1, Integer::sum);
                }
                return FileVisitResult.CONTINUE;
            }

            /** Sets a mode; where that fails (a file system without modes, like vfat) warns once and stops trying. */
            private boolean set(Path path, Set<PosixFilePermission> mode) {
                if (!settable) {
                    return false;
                }
                try {
                    Files.setPosixFilePermissions(path, mode);
                    return true;
                } catch (IOException | UnsupportedOperationException e) {
                    settable = false;
                    log.warn("warning: cannot change the mode of {} ({}); other users may read the queue: keep "
                            + "queue_directory on a file system with POSIX modes, owned by the user Sealpost runs as",
                            path, e.getMessage());
                    return false;
                }
            }

            @Override
            public FileVisitResult postVisitDirectory(Path folder, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                String mode = folderModes.get(folder);
                int files = opened.getOrDefault(folder, 0);
                String readable = (files == 1 ? "1 file" : files + " files") + " readable by others";
                if (mode != null) {
                    log.warn("warning: queue folder {} was open to other users (mode {}{}); changed it to rwx------{}",
                            folder, mode, files == 0 ? "" : ", " + readable, files == 0 ? "" : " and its files to rw-------");
                } else if (files > 0) {
                    log.warn("warning: queue folder {} held {}; changed them to rw-------", folder, readable);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static boolean disjoint(Set<PosixFilePermission> mode) {
        return Collections.disjoint(mode, GROUP_OR_OTHER);
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
