package org.sealpost.transport.queue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The format of a queue file (docs/queue.md): a text header with the envelope and one line per
 * recipient whose one-letter state can be rewritten in place, the content, and a trailer with the
 * content's length and CRC32C so that truncation and corruption are caught on recovery.
 */
final class QueueFile {

    /** Version 2 adds the hold, next and why lines; version 1 files (without them) still load. */
    static final String MAGIC = "SEALPOST-QUEUE 2";
    static final String MAGIC_V1 = "SEALPOST-QUEUE 1";
    static final String CONTENT_MARK = "content";
    static final char PENDING = 'P';
    static final char DELIVERED = 'D';
    static final char BOUNCED = 'B';

    /** Width of a why line's value: a reason is cut to fit, so that it can be rewritten in place. */
    static final int WHY_WIDTH = 256;
    static final char HELD = 'Y';
    static final char NOT_HELD = 'N';

    /** A parsed file: its envelope, where the content starts and how long it is, the recipient states. */
    record Parsed(String queueId, Envelope envelope, long contentOffset, long contentLength,
            char[] states, long[] stateOffsets, Additions additions, Notes notes) {
    }

    /**
     * What the queue learned about a message after it arrived, kept in fixed-width slots of the
     * header so that it is rewritten in place: whether it is on hold, how many attempts it had,
     * when the next one is due (0: none set, attempt at once), and each recipient's last reason
     * ("" when never attempted). {@code slots} is null for a version 1 file, which has none.
     */
    static final class Notes {
        boolean held;
        int attempts;
        long nextAttempt;
        final String[] reasons;
        Slots slots;

        Notes(int recipients) {
            this.reasons = new String[recipients];
            java.util.Arrays.fill(reasons, "");
        }
    }

    /** Where the slots lie in the file. */
    record Slots(long hold, long next, long[] why) {
    }

    /** Far above real additions (a few signatures and results); a longer trailer is damage. */
    static final int MAX_TRAILER = 256 * 1024;

    /** Far above the header of a message with recipient_limit's largest value of recipients. */
    static final int MAX_HEADER = 256 << 20;

    private QueueFile() {
    }

    /** The header for a new message, every recipient pending; {@code stateOffsets} receives their offsets. */
    static byte[] header(String queueId, Envelope envelope, long[] stateOffsets) {
        char[] states = new char[envelope.recipients().size()];
        java.util.Arrays.fill(states, PENDING);
        Notes notes = new Notes(states.length);
        return header(queueId, envelope, states, notes, stateOffsets);
    }

    /**
     * The header with the given states and notes; {@code stateOffsets} receives the offsets of the
     * states and {@code notes.slots} those of the notes.
     */
    static byte[] header(String queueId, Envelope envelope, char[] states, Notes notes, long[] stateOffsets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        line(out, MAGIC);
        line(out, "id " + queueId);
        line(out, "arrival " + envelope.arrival().toEpochMilli());
        line(out, "sender " + escape(envelope.sender()));
        line(out, "body " + envelope.body().keyword());
        line(out, "smtputf8 " + (envelope.smtputf8() ? "yes" : "no"));
        if (envelope.requireTls()) {
            // Only when set, so that files of messages without it read as they always did.
            line(out, "requiretls yes");
        }
        line(out, "ret " + escape(envelope.ret()));
        line(out, "envid " + escape(envelope.envid()));
        Envelope.ClientInfo c = envelope.client();
        line(out, "client " + escape(c.address()) + " " + escape(c.heloName()) + " " + escape(c.protocol()) + " "
                + escape(c.tls()) + " " + escape(c.authUser()) + " " + escape(c.listener()));
        if (c.hasOrigin()) {
            line(out, "origin " + c.port() + " " + escape(c.name()));
        }
        long hold = out.size() + "hold ".length();
        line(out, "hold " + (notes.held ? HELD : NOT_HELD));
        long next = out.size() + "next ".length();
        line(out, "next " + next(notes.attempts, notes.nextAttempt));
        List<Recipient> recipients = envelope.recipients();
        long[] why = new long[recipients.size()];
        for (int i = 0; i < recipients.size(); i++) {
            Recipient r = recipients.get(i);
            stateOffsets[i] = out.size() + "rcpt ".length();
            String notify = r.notifyOn().isEmpty() ? "-"
                    : String.join(",", r.notifyOn().stream().map(Enum::name).sorted().toList());
            line(out, "rcpt " + states[i] + " " + notify + " " + escape(r.orcpt()) + " " + escape(r.address()));
            why[i] = out.size() + "why ".length();
            line(out, "why " + why(notes.reasons[i]));
        }
        notes.slots = new Slots(hold, next, why);
        line(out, CONTENT_MARK);
        return out.toByteArray();
    }

    /** The value of a next line: attempts so far and the next attempt's time in epoch milliseconds, fixed width. */
    static String next(int attempts, long nextAttempt) {
        return zeroPadded(attempts, 10) + " " + zeroPadded(Math.max(0, nextAttempt), 19);
    }

    // As %0Nd for a number that is not negative, without java.util.Formatter on every queue file.
    private static String zeroPadded(long value, int width) {
        String digits = Long.toString(value);
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }

    /** The value of a why line: the reason escaped, cut to {@link #WHY_WIDTH} on a character, padded with spaces. */
    static String why(String reason) {
        String escaped = escape(reason);
        if (escaped.length() > WHY_WIDTH) {
            // cut whole characters, so that no escape and no UTF-8 sequence is split
            String cut = reason.substring(0, Math.min(reason.length(), WHY_WIDTH));
            while (escape(cut).length() > WHY_WIDTH - 3) {
                cut = cut.substring(0, cut.offsetByCodePoints(cut.length(), -1));
            }
            escaped = escape(cut) + "...";
        }
        return escaped + " ".repeat(WHY_WIDTH - escaped.length());
    }

    /** The lines between the content and the end line: prepended fields and results, escaped. */
    static byte[] extras(Additions additions) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        additions.prepend().forEach(field -> line(out, "prepend " + escape(field)));
        additions.results().forEach(result -> line(out, "result " + escape(result)));
        return out.toByteArray();
    }

    /**
     * The trailer: LF, the extras, then "end LENGTH CRC32C" where the CRC32C covers the content
     * and then the extras, so that damage to either is caught.
     */
    static byte[] trailer(long contentLength, byte[] extras, long crc) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('\n');
        out.writeBytes(extras);
        // The CRC32C is 32 bits: eight hex digits, as %08x wrote it.
        out.writeBytes(("end " + contentLength + " " + HexFormat.of().toHexDigits((int) crc) + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Reads and checks a whole file; throws {@link CorruptQueueFileException} saying what is wrong. */
    static Parsed read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            Header header = null;
            // 1 MiB holds the header of a message with a thousand recipients; one with more is read again, larger.
            for (int limit = 1 << 20; header == null; limit *= 4) {
                ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, limit));
                while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
                    // fill
                }
                head.flip();
                try {
                    header = parseHeader(head, file);
                } catch (CorruptQueueFileException e) {
                    if (head.limit() < limit || limit >= MAX_HEADER) {
                        throw e;
                    }
                }
            }
            long contentOffset = header.end;
            int tail = (int) Math.min(64, size - contentOffset);
            ByteBuffer last = ByteBuffer.allocate(tail);
            channel.read(last, size - tail);
            String text = new String(last.array(), StandardCharsets.US_ASCII);
            int end = text.lastIndexOf("\nend ");
            if (end < 0 || !text.endsWith("\n")) {
                throw new CorruptQueueFileException("no trailer: the file is truncated");
            }
            String[] fields = text.substring(end + 1, text.length() - 1).split(" ");
            long endLine = size - tail + end + 1;
            long contentLength = fields.length == 3 ? Long.parseLong(fields[1]) : -1;
            long extrasStart = contentOffset + contentLength + 1;
            if (fields.length != 3 || contentLength < 0 || extrasStart > endLine || endLine - extrasStart > MAX_TRAILER) {
                throw new CorruptQueueFileException("the trailer's length does not match the file");
            }
            CRC32C crc = new CRC32C();
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            for (long position = contentOffset, left = contentLength; left > 0; ) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), left));
                int n = channel.read(chunk, position);
                if (n <= 0) {
                    throw new CorruptQueueFileException("the content is shorter than its trailer says");
                }
                chunk.flip();
                crc.update(chunk);
                position += n;
                left -= n;
            }
            ByteBuffer extras = ByteBuffer.allocate((int) (endLine - extrasStart));
            channel.read(extras, extrasStart);
            crc.update(extras.array());
            if (crc.getValue() != Long.parseLong(fields[2], 16)) {
                throw new CorruptQueueFileException("the content's CRC32C does not match its trailer");
            }
            Additions additions = parseExtras(new String(extras.array(), StandardCharsets.US_ASCII));
            return new Parsed(header.queueId, header.envelope, contentOffset, contentLength, header.states, header.offsets,
                    additions, header.notes);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            // A bad number, NOTIFY keyword or escape is damage too, set aside like the rest.
            throw new CorruptQueueFileException("unreadable header or trailer: " + e.getMessage());
        }
    }

    private static Additions parseExtras(String text) throws CorruptQueueFileException {
        List<String> prepend = new ArrayList<>();
        List<String> results = new ArrayList<>();
        for (String line : text.isEmpty() ? new String[0] : text.split("\n")) {
            if (line.startsWith("prepend ")) {
                prepend.add(unescape(line.substring("prepend ".length())));
            } else if (line.startsWith("result ")) {
                results.add(unescape(line.substring("result ".length())));
            } else {
                throw new CorruptQueueFileException("unknown trailer line: " + line);
            }
        }
        try {
            return new Additions(prepend, results);
        } catch (IllegalArgumentException e) {
            throw new CorruptQueueFileException("a prepended header field is damaged");
        }
    }

    private record Header(String queueId, Envelope envelope, long end, char[] states, long[] offsets, Notes notes) {
    }

    private static Header parseHeader(ByteBuffer head, Path file) throws CorruptQueueFileException {
        List<String> lines = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < head.limit(); i++) {
            if (head.get(i) == '\n') {
                String line = new String(head.array(), start, i - start, StandardCharsets.US_ASCII);
                lines.add(line);
                starts.add(start);
                start = i + 1;
                if (line.equals(CONTENT_MARK)) {
                    break;
                }
            }
        }
        if (lines.isEmpty() || !(lines.get(0).equals(MAGIC) || lines.get(0).equals(MAGIC_V1))) {
            throw new CorruptQueueFileException("not a Sealpost queue file (no '" + MAGIC + "' line)");
        }
        if (!lines.get(lines.size() - 1).equals(CONTENT_MARK)) {
            throw new CorruptQueueFileException("the header has no end: the file is truncated");
        }
        String id = null;
        String sender = null;
        BodyType body = BodyType.SEVEN_BIT;
        boolean smtputf8 = false;
        boolean requireTls = false; // files written before REQUIRETLS have no requiretls line
        String ret = "";
        String envid = "";
        Instant arrival = null;
        Envelope.ClientInfo client = new Envelope.ClientInfo("", "", "", "", "", "");
        List<Recipient> recipients = new ArrayList<>();
        List<Character> states = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        List<Long> whyOffsets = new ArrayList<>();
        boolean version2 = lines.get(0).equals(MAGIC);
        long holdOffset = -1;
        long nextOffset = -1;
        boolean held = false;
        int attempts = 0;
        long nextAttempt = 0;
        for (int i = 1; i < lines.size() - 1; i++) {
            String line = lines.get(i);
            int space = line.indexOf(' ');
            String key = space < 0 ? line : line.substring(0, space);
            String value = space < 0 ? "" : line.substring(space + 1);
            switch (key) {
                case "id" -> id = value;
                case "arrival" -> arrival = Instant.ofEpochMilli(Long.parseLong(value));
                case "sender" -> sender = unescape(value);
                case "body" -> body = BodyType.fromKeyword(value);
                case "smtputf8" -> smtputf8 = value.equals("yes");
                case "requiretls" -> {
                    if (!value.equals("yes") && !value.equals("no")) {
                        throw new CorruptQueueFileException("requiretls line " + (i + 1)
                                + " is not 'requiretls yes' or 'requiretls no'");
                    }
                    requireTls = value.equals("yes");
                }
                case "ret" -> ret = unescape(value);
                case "envid" -> envid = unescape(value);
                case "client" -> {
                    String[] f = value.split(" ", -1);
                    client = new Envelope.ClientInfo(unescape(f[0]), unescape(f[1]), unescape(f[2]), unescape(f[3]),
                            unescape(f[4]), unescape(f[5]));
                }
                case "origin" -> {
                    // Written after the client line, by versions that pass the original client on.
                    String[] f = value.split(" ", -1);
                    client = new Envelope.ClientInfo(client.address(), client.heloName(), client.protocol(),
                            client.tls(), client.authUser(), client.listener(), Integer.parseInt(f[0]), unescape(f[1]));
                }
                case "rcpt" -> {
                    String[] f = value.split(" ", -1);
                    char state = f[0].charAt(0);
                    if (f[0].length() != 1 || (state != PENDING && state != DELIVERED && state != BOUNCED)) {
                        throw new CorruptQueueFileException("recipient line " + (i + 1) + " has no valid state");
                    }
                    Set<Notify> notify = EnumSet.noneOf(Notify.class);
                    if (!f[1].equals("-")) {
                        for (String n : f[1].split(",")) {
                            notify.add(Notify.valueOf(n.toUpperCase(Locale.ROOT)));
                        }
                    }
                    recipients.add(new Recipient(unescape(f[3]), notify, unescape(f[2])));
                    states.add(state);
                    offsets.add((long) starts.get(i) + "rcpt ".length());
                }
                case "hold" -> {
                    if (!version2 || !(value.equals("Y") || value.equals("N"))) {
                        throw new CorruptQueueFileException("hold line " + (i + 1) + " is not 'hold Y' or 'hold N'");
                    }
                    held = value.equals("Y");
                    holdOffset = starts.get(i) + "hold ".length();
                }
                case "next" -> {
                    String[] f = value.split(" ", -1);
                    if (!version2 || value.length() != 30 || f.length != 2) {
                        throw new CorruptQueueFileException("next line " + (i + 1) + " is not 'next ATTEMPTS TIME'");
                    }
                    attempts = Integer.parseInt(f[0]);
                    nextAttempt = Long.parseLong(f[1]);
                    nextOffset = starts.get(i) + "next ".length();
                }
                case "why" -> {
                    if (!version2 || value.length() != WHY_WIDTH || reasons.size() != recipients.size() - 1) {
                        throw new CorruptQueueFileException("why line " + (i + 1) + " does not follow its recipient line");
                    }
                    reasons.add(unescape(value.strip()));
                    whyOffsets.add((long) starts.get(i) + "why ".length());
                }
                default -> throw new CorruptQueueFileException("unknown header line " + (i + 1) + ": " + key);
            }
        }
        if (id == null || sender == null || arrival == null || body == null || recipients.isEmpty()) {
            throw new CorruptQueueFileException("the header lacks the id, sender, arrival, body or recipients");
        }
        char[] stateArray = new char[states.size()];
        long[] offsetArray = new long[offsets.size()];
        for (int i = 0; i < stateArray.length; i++) {
            stateArray[i] = states.get(i);
            offsetArray[i] = offsets.get(i);
        }
        Notes notes = new Notes(stateArray.length);
        if (version2) {
            if (holdOffset < 0 || nextOffset < 0 || reasons.size() != recipients.size()) {
                throw new CorruptQueueFileException("the header lacks its hold, next or why lines");
            }
            notes.held = held;
            notes.attempts = attempts;
            notes.nextAttempt = nextAttempt;
            long[] why = new long[whyOffsets.size()];
            for (int i = 0; i < why.length; i++) {
                why[i] = whyOffsets.get(i);
                notes.reasons[i] = reasons.get(i);
            }
            notes.slots = new Slots(holdOffset, nextOffset, why);
        }
        long end = starts.get(starts.size() - 1) + CONTENT_MARK.length() + 1;
        Envelope envelope = new Envelope(sender, recipients, body, smtputf8, ret, envid, client, arrival, requireTls);
        return new Header(id, envelope, end, stateArray, offsetArray, notes);
    }

    /** Values are one token: bytes outside printable ASCII, '%' and space become %XX; "" becomes "-". */
    static String escape(String value) {
        if (value.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && c != '%' && !(c == '-' && value.equals("-"))) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }

    static String unescape(String value) {
        if (value.equals("-")) {
            return "";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                out.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void line(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        out.write('\n');
    }
}
