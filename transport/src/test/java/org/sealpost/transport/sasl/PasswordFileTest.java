package org.sealpost.transport.sasl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.transport.config.ConfigException;

class PasswordFileTest {

    @TempDir
    Path dir;

    @Test
    void entryWrittenByPasswd_authenticatesOnlyTheRightPassword() throws Exception {
        Path file = dir.resolve("users");
        Files.write(file, List.of("# logins", PasswordFile.entry("postfix", "s3cret"), PasswordFile.entry("other", "x")));
        PasswordFile users = PasswordFile.load(file);
        assertTrue(users.authenticate("postfix", "s3cret"));
        assertFalse(users.authenticate("postfix", "S3cret"));
        assertFalse(users.authenticate("nobody", "s3cret"));
    }

    @Test
    void plaintextPasswordLine_isRefusedWithTheLine() throws Exception {
        Path file = dir.resolve("users");
        Files.write(file, List.of("postfix:s3cret"));
        String message = assertThrows(ConfigException.class, () -> PasswordFile.load(file)).getMessage();
        assertTrue(message.contains("users:1: expected 'user:$pbkdf2-sha256$...'"), message);
    }
}
