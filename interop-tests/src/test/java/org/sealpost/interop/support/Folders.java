package org.sealpost.interop.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Test folders that daemons running as other users (postfix, nobody) must be able to reach. */
final class Folders {

    private Folders() {
    }

    /**
     * Makes a test's own folder readable and searchable by everyone (JUnit creates its temporary
     * folders private to their owner). A shared folder such as /tmp (writable by others) is never
     * touched: changing it would break every other user of the machine.
     */
    static void openToDaemons(Path folder) throws IOException {
        if (folder == null) {
            return;
        }
        Set<PosixFilePermission> current = Files.getPosixFilePermissions(folder);
        if (current.contains(PosixFilePermission.OTHERS_WRITE)) {
            return;
        }
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
