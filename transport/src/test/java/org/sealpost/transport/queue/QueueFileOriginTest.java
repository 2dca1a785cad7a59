package org.sealpost.transport.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional origin line: the original client of mail from an mx listener, for the hand-off. */
class QueueFileOriginTest {

    @TempDir
    Path dir;

    @Test
    void origin_isKeptAcrossWriteAndRead() throws Exception {
        Envelope.ClientInfo client = new Envelope.ClientInfo("192.0.2.7", "mail.example.org", "ESMTPS", "TLSv1.3 X",
                "", "mx", 41234, "mail.example.org");
        Envelope.ClientInfo read = roundTrip(client).envelope().client();
        assertEquals(client, read);
        assertTrue(read.hasOrigin());
    }

    @Test
    void origin_withoutReverseName_isWrittenAsDash() throws Exception {
        Envelope.ClientInfo client = new Envelope.ClientInfo("192.0.2.7", "h", "ESMTP", "", "", "mx", 25000, "");
        Path file = write(client);
        assertTrue(Files.readString(file, StandardCharsets.US_ASCII).contains("\norigin 25000 -\n"));
        assertEquals(client, QueueFile.read(file).envelope().client());
    }

    @Test
    void fileWithoutOriginLine_loadsWithoutOrigin() throws Exception {
        Envelope.ClientInfo submission = new Envelope.ClientInfo("127.0.0.1", "c", "ESMTP", "", "", "submission");
        Path file = write(submission);
        assertFalse(Files.readString(file, StandardCharsets.US_ASCII).contains("origin"), "no origin line is written");
        Envelope.ClientInfo read = QueueFile.read(file).envelope().client();
        assertFalse(read.hasOrigin());
        assertEquals(submission, read);
    }

    private QueueFile.Parsed roundTrip(Envelope.ClientInfo client) throws Exception {
        return QueueFile.read(write(client));
    }

    private Path write(Envelope.ClientInfo client) throws Exception {
        Envelope envelope = new Envelope("alice@example.org", List.of(new Recipient("bob@example.net", Set.of(), "")),
                BodyType.SEVEN_BIT, false, "", "", client, Instant.ofEpochMilli(1795347384495L));
        return HandWrittenQueueFile.write(dir, HandWrittenQueueFile.header(envelope));
    }
}
