package org.sealpost.interop.support;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real programs a test talks to. A missing one skips the test with the Debian package to
 * install, except under SEALPOST_REQUIRE_PEERS=1 (CI, scripts/test.sh), where it fails: CI never skips.
 */
public final class Peers {

    private Peers() {
    }

    public static void require(String debianPackage, String program) {
        if (Files.isExecutable(Path.of(program))) {
            return;
        }
        String message = program + " is missing: install the Debian package " + debianPackage
                + " (scripts/install-peers.sh installs every test peer)";
        if ("1".equals(System.getenv("SEALPOST_REQUIRE_PEERS"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
    }

    public static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            String message = "private Postfix instances need root (Postfix drops privileges to its own users)";
            if ("1".equals(System.getenv("SEALPOST_REQUIRE_PEERS"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
    }
}
