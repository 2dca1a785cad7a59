package org.sealpost.transport.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueFileTest {

    @TempDir
    Path dir;

    private static final String CONTENT = "Subject: old\r\n\r\nstill here\r\n";

    /** A file as version 1 wrote it: no hold, next or why lines. */
    private Path versionOneFile() throws Exception {
        CRC32C crc = new CRC32C();
        crc.update(CONTENT.getBytes(StandardCharsets.US_ASCII));
        String text = "SEALPOST-QUEUE 1\n"
                + "id 000660DCB9AD6F0D\n"
                + "arrival 1795347384495\n"
                + "sender alice@example.org\n"
                + "body 7BIT\n"
                + "smtputf8 no\n"
                + "ret -\n"
                + "envid -\n"
                + "client 127.0.0.1 client.example ESMTP - - submission\n"
                + "rcpt D - - carol@example.org\n"
                + "rcpt P FAILURE rfc822;bob@example.net bob@example.net\n"
                + "content\n"
                + CONTENT + "\n"
                + String.format("end %d %08x\n", CONTENT.length(), crc.getValue());
        Path file = dir.resolve("000660DCB9AD6F0D");
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        return file;
    }

    @Test
    void fixedWidthValues_areWrittenAsBefore() {
        // The next line is rewritten in place, so its width never changes; the end line's CRC32C
        // is eight hex digits, leading zeros kept.
        assertEquals("0000000003 0000000001234567890", QueueFile.next(3, 1_234_567_890L));
        assertEquals("0000000000 0000000000000000000", QueueFile.next(0, -5));
        assertEquals("2147483647 9223372036854775807", QueueFile.next(Integer.MAX_VALUE, Long.MAX_VALUE));
        assertEquals("\nend 12 0000beef\n", new String(QueueFile.trailer(12, new byte[0], 0xbeefL), StandardCharsets.US_ASCII));
        assertEquals("\nend 0 ffffffff\n", new String(QueueFile.trailer(0, new byte[0], 0xffffffffL), StandardCharsets.US_ASCII));
        String id = QueueId.next();
        assertTrue(QueueId.isValid(id), id);
        assertTrue(QueueId.next().compareTo(id) > 0, "ids sort by arrival");
    }

    @Test
    void versionOneFile_loads_withoutNotes() throws Exception {
        QueueFile.Parsed parsed = QueueFile.read(versionOneFile());
        assertEquals("000660DCB9AD6F0D", parsed.queueId());
        assertArrayEquals(new char[] {'D', 'P'}, parsed.states());
        assertNull(parsed.notes().slots);
        assertEquals(false, parsed.notes().held);
        assertArrayEquals(new String[] {"", ""}, parsed.notes().reasons);
    }

    @Test
    void versionOneFile_isRewrittenOnce_whenNotesAreWritten_andKeepsItsContentAndStates() throws Exception {
        Path file = versionOneFile();
        StoredMessage message = StoredMessage.of(file, QueueFile.read(file));
        message.notes().held = true;
        message.notes().attempts = 3;
        message.notes().nextAttempt = 1795347999000L;
        message.notes().reasons[1] = "451 4.3.0 try again later";
        StoredMessage rewritten = message.writeNotes(dir.resolve("scratch"));
        assertNotEquals(message, rewritten);
        assertTrue(Files.readString(file).startsWith("SEALPOST-QUEUE 2\n"));

        QueueFile.Parsed again = QueueFile.read(file);
        assertArrayEquals(new char[] {'D', 'P'}, again.states());
        assertTrue(again.notes().held);
        assertEquals(3, again.notes().attempts);
        assertEquals(1795347999000L, again.notes().nextAttempt);
        assertEquals("451 4.3.0 try again later", again.notes().reasons[1]);
        try (InputStream in = StoredMessage.of(file, again).openContent()) {
            assertEquals(CONTENT, new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
        assertTrue(Files.notExists(dir.resolve("scratch")));
    }

    @Test
    void notes_areRewrittenInPlace_inACurrentFile() throws Exception {
        Path file = versionOneFile();
        StoredMessage message = StoredMessage.of(file, QueueFile.read(file)).writeNotes(dir.resolve("scratch"));
        long size = Files.size(file);
        message.notes().reasons[1] = "connect to mx.example.net[192.0.2.7]:25: Connection refused";
        message.notes().held = false;
        message.states()[1] = QueueFile.BOUNCED;
        assertEquals(message, message.writeNotes(dir.resolve("scratch")));
        assertEquals(size, Files.size(file));
        QueueFile.Parsed again = QueueFile.read(file);
        assertEquals('B', again.states()[1]);
        assertEquals("connect to mx.example.net[192.0.2.7]:25: Connection refused", again.notes().reasons[1]);
    }

    @Test
    void longReason_isCutToItsSlot_onACharacter() throws Exception {
        String reason = "550 5.7.1 " + "é".repeat(300);
        String slot = QueueFile.why(reason);
        assertEquals(QueueFile.WHY_WIDTH, slot.length());
        String back = QueueFile.unescape(slot.strip());
        assertTrue(back.endsWith("é...") && reason.startsWith(back.substring(0, back.length() - 3)), back);
    }

    @Test
    void damagedHoldLine_isCorrupt_notACrash() throws Exception {
        Path file = versionOneFile();
        StoredMessage.of(file, QueueFile.read(file)).writeNotes(dir.resolve("scratch"));
        Files.writeString(file, Files.readString(file, StandardCharsets.ISO_8859_1).replace("hold N", "hold X"),
                StandardCharsets.ISO_8859_1);
        assertThrows(CorruptQueueFileException.class, () -> QueueFile.read(file));
    }
}
