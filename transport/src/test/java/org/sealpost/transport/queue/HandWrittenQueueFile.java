package org.sealpost.transport.queue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * A queue file put together from its parts, as the queue writes it: a header (as QueueFile writes
 * it, or edited to stand for an older or damaged file), a short content and the trailer with the
 * content's length and CRC-32C.
 */
final class HandWrittenQueueFile {

    static final String QUEUE_ID = "000660DCB9AD6F0D";

    private HandWrittenQueueFile() {
    }

    /** The header QueueFile writes for {@code envelope}, as text to edit. */
    static String header(Envelope envelope) {
        return new String(QueueFile.header(QUEUE_ID, envelope, new long[1]), StandardCharsets.US_ASCII);
    }

    /** Writes {@code header}, the content and the trailer to {@code dir}/QUEUE_ID. */
    static Path write(Path dir, String header) throws Exception {
        byte[] content = "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(content);
        CRC32C crc = new CRC32C();
        crc.update(content);
        out.writeBytes(QueueFile.trailer(content.length, new byte[0], crc.getValue()));
        Path file = dir.resolve(QUEUE_ID);
        Files.write(file, out.toByteArray());
        return file;
    }
}
