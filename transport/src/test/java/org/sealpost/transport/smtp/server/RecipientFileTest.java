package org.sealpost.transport.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipientFileTest {

    @TempDir
    Path dir;

    @Test
    void listedAddressesAndDomains_areTaken_othersRefusedAsPostfixSays() throws Exception {
        Path file = dir.resolve("recipients");
        Files.writeString(file, "# who takes mail\nAlice@Example.org\n\n@catchall.example  # every address\n");
        RecipientFile recipients = RecipientFile.load(file);
        assertEquals(Optional.empty(), recipients.check("alice@example.org", "example.org").join());
        assertEquals(Optional.empty(), recipients.check("anyone@catchall.example", "catchall.example").join());
        assertEquals(Optional.of("550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in relay "
                + "recipient table"), recipients.check("bob@example.org", "example.org").join());
    }

    @Test
    void reload_readsTheFileAgain_andAFailedReloadKeepsTheList() throws Exception {
        Path file = dir.resolve("recipients");
        Files.writeString(file, "alice@example.org\n");
        RecipientFile recipients = RecipientFile.load(file);
        Files.writeString(file, "bob@example.org\n");
        assertEquals(1, recipients.reload());
        assertEquals(Optional.empty(), recipients.check("bob@example.org", "example.org").join());
        Files.delete(file);
        IOException failure = assertThrows(IOException.class, recipients::reload);
        assertEquals("recipient_file " + file + ": no such file; check recipient_file (one address or @domain a line)",
                failure.getMessage());
        assertEquals(Optional.empty(), recipients.check("bob@example.org", "example.org").join());
    }
}
