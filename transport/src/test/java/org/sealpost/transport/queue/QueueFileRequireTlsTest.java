package org.sealpost.transport.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional requiretls line: MAIL FROM's REQUIRETLS (RFC 8689), kept with the message across restarts. */
class QueueFileRequireTlsTest {

    @TempDir
    Path dir;

    @Test
    void requireTls_isKeptAcrossWriteAndRead() throws Exception {
        Path file = write(envelope(true));
        assertTrue(Files.readString(file, StandardCharsets.US_ASCII).contains("\nrequiretls yes\n"));
        assertTrue(QueueFile.read(file).envelope().requireTls());
    }

    @Test
    void fileWithoutRequireTlsLine_asWrittenBefore_readsWithoutIt() throws Exception {
        Path file = write(envelope(false));
        assertFalse(Files.readString(file, StandardCharsets.US_ASCII).contains("requiretls"), "no line written");
        assertFalse(QueueFile.read(file).envelope().requireTls());
    }

    @Test
    void requireTlsNo_readsWithoutIt() throws Exception {
        Path file = write(envelope(true), "requiretls no");
        assertFalse(QueueFile.read(file).envelope().requireTls());
    }

    @Test
    void damagedRequireTlsValue_isACorruptFile_namingTheLine() throws Exception {
        Path file = write(envelope(true), "requiretls maybe");
        CorruptQueueFileException e = assertThrows(CorruptQueueFileException.class, () -> QueueFile.read(file));
        assertEquals("requiretls line 7 is not 'requiretls yes' or 'requiretls no'", e.getMessage());
    }

    private static Envelope envelope(boolean requireTls) {
        return new Envelope("alice@example.org", List.of(new Recipient("bob@example.net", Set.of(), "")),
                BodyType.SEVEN_BIT, false, "", "", new Envelope.ClientInfo("127.0.0.1", "c", "ESMTPS", "TLSv1.3 X", "",
                        "submission"), Instant.ofEpochMilli(1795347384495L), requireTls);
    }

    private Path write(Envelope envelope) throws Exception {
        return write(envelope, "requiretls yes");
    }

    /** The file with its requiretls line (when written) replaced by {@code line}. */
    private Path write(Envelope envelope, String line) throws Exception {
        return HandWrittenQueueFile.write(dir, HandWrittenQueueFile.header(envelope)
                .replace("\nrequiretls yes\n", "\n" + line + "\n"));
    }
}
