package org.sealpost.signing.dkim2;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.sealpost.signing.dkim.HeaderField;

/** The state machine behind {@link MimeOutline.Builder}: one body line at a time, RFC 2046 5.1.1. */
final class MimeWalker {

    private static final byte[] CRLF = {'\r', '\n'};

    /** An open multipart: its boundary, the prefix of its children's numbers, how many it has had. */
    private static final class Multipart {
        final byte[] delimiter;
        final String prefix;
        final boolean digest;
        int children;
        boolean closed;

        Multipart(String boundary, String prefix, boolean digest) {
            this.delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            this.prefix = prefix;
            this.digest = digest;
        }

        String child(int number) {
            return prefix.isEmpty() ? Integer.toString(number) : prefix + "." + number;
        }
    }

    /** The leaf whose content lines are arriving. */
    private static final class Leaf {
        final String path;
        final String type;
        final String headerHash;
        final MessageDigest content = LineHashes.sha256();
        final MessageDigest decodedDigest = LineHashes.sha256();
        final TransferDecoder decoded;
        long lines;

        Leaf(String path, String type, String headerHash, String encoding) {
            this.path = path;
            this.type = type;
            this.headerHash = headerHash;
            this.decoded = TransferDecoder.forEncoding(encoding, decodedDigest);
        }

        void line(byte[] data, int offset, int length) {
            if (lines > 0) {
                content.update(CRLF); // the CRLF before a delimiter belongs to the delimiter (RFC 2046 5.1.1)
            }
            content.update(data, offset, length);
            decoded.line(data, offset, length, lines == 0);
            lines++;
        }

        MimeOutline.Part part() {
            Base64.Encoder b64 = Base64.getEncoder();
            return new MimeOutline.Part(path, type, headerHash, b64.encodeToString(content.digest()),
                    b64.encodeToString(decodedDigest.digest()), lines);
        }
    }

    private final List<MimeOutline.Part> parts = new ArrayList<>();
    private final List<Multipart> stack = new ArrayList<>();
    private Leaf leaf;
    /** The header lines of the part that has begun, while they arrive; null otherwise. */
    private List<String> partHeader;
    private String partPath;
    private int partHeaderOctets;
    private int entities;
    private RecipeException failure;

    MimeWalker(List<HeaderField> messageHeader) {
        List<HeaderField> mime = new ArrayList<>();
        for (HeaderField field : messageHeader) {
            if (RecipeFieldNames.key(field.name()).startsWith("content-")) {
                mime.add(field); // RFC 2045 9: the MIME fields of the message's own entity
            }
        }
        begin("", mime, false);
    }

    void line(byte[] data, int offset, int length) {
        if (failure != null) {
            return;
        }
        int level = delimiterLevel(data, offset, length);
        if (partHeader != null) {
            if (level < 0 && length > 0) {
                partHeaderOctets += length + 2;
                if (partHeaderOctets > MimeOutline.MAX_PART_HEADER) {
                    fail("the header of MIME part " + partPath + " is longer than " + MimeOutline.MAX_PART_HEADER + " octets");
                    return;
                }
                partHeader.add(new String(data, offset, length, StandardCharsets.ISO_8859_1));
                return;
            }
            endPartHeader(); // the empty line, or a delimiter right after a header with no body
            if (level < 0) {
                return;
            }
            level = delimiterLevel(data, offset, length); // beginning the part may have opened a multipart
        }
        if (level >= 0) {
            delimiter(level, data, offset, length);
        } else if (leaf != null) {
            leaf.line(data, offset, length);
        }
        // otherwise a preamble or an epilogue line: part of no part
    }

    void end() {
        if (failure != null) {
            return;
        }
        if (partHeader != null) {
            endPartHeader();
        }
        endLeaf();
    }

    List<MimeOutline.Part> parts() throws RecipeException {
        if (failure != null) {
            throw failure;
        }
        return parts;
    }

    private void delimiter(int level, byte[] data, int offset, int length) {
        endLeaf();
        while (stack.size() > level + 1) {
            stack.remove(stack.size() - 1); // RFC 2046 5.1.1: an outer boundary also ends inner parts
        }
        Multipart multipart = stack.get(level);
        int after = offset + multipart.delimiter.length;
        if (after + 1 < offset + length && data[after] == '-' && data[after + 1] == '-') {
            multipart.closed = true; // what follows, up to an outer boundary, is the epilogue
            return;
        }
        multipart.children++;
        partPath = multipart.child(multipart.children);
        partHeader = new ArrayList<>();
        partHeaderOctets = 0;
    }

    /** The innermost open multipart whose delimiter or close delimiter this line is, or -1. */
    private int delimiterLevel(byte[] data, int offset, int length) {
        for (int level = stack.size() - 1; level >= 0; level--) {
            Multipart multipart = stack.get(level);
            // A closed multipart is in its epilogue: only an enclosing boundary ends that.
            if (!multipart.closed && isDelimiter(multipart.delimiter, data, offset, length)) {
                return level;
            }
        }
        return -1;
    }

    private static boolean isDelimiter(byte[] delimiter, byte[] data, int offset, int length) {
        if (length < delimiter.length) {
            return false;
        }
        for (int i = 0; i < delimiter.length; i++) {
            if (data[offset + i] != delimiter[i]) {
                return false;
            }
        }
        int i = offset + delimiter.length;
        int end = offset + length;
        if (i + 1 < end && data[i] == '-' && data[i + 1] == '-') {
            i += 2;
        }
        for (; i < end; i++) {
            if (data[i] != ' ' && data[i] != '\t') {
                return false; // RFC 2046 5.1.1: only transport padding may follow
            }
        }
        return true;
    }

    private void endPartHeader() {
        List<HeaderField> fields = new ArrayList<>();
        StringBuilder current = null;
        for (String line : partHeader) {
            if (current != null && (line.startsWith(" ") || line.startsWith("\t"))) {
                current.append("\r\n").append(line);
            } else {
                if (current != null) {
                    fields.add(HeaderField.of(current.toString()));
                }
                current = new StringBuilder(line);
            }
        }
        if (current != null) {
            fields.add(HeaderField.of(current.toString()));
        }
        partHeader = null;
        Multipart parent = stack.get(stack.size() - 1);
        begin(partPath, fields, parent.digest);
    }

    private void begin(String path, List<HeaderField> fields, boolean inDigest) {
        if (++entities > MimeOutline.MAX_PARTS) {
            fail("more than " + MimeOutline.MAX_PARTS + " MIME parts (at part " + path + ")");
            return;
        }
        ContentType type = inDigest ? ContentType.MESSAGE_RFC822 : ContentType.TEXT_PLAIN;
        String encoding = null;
        MessageDigest hash = LineHashes.sha256();
        for (HeaderField field : fields) {
            String key = RecipeFieldNames.key(field.name());
            if (key.equals("content-type")) {
                type = ContentType.parse(RecipeFieldNames.unfold(field.value()), type);
            } else if (key.equals("content-transfer-encoding")) {
                encoding = RecipeFieldNames.unfold(field.value()).strip().toLowerCase(Locale.ROOT);
            }
            hash.update((key + ":" + RecipeFieldNames.canonicalValue(field) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        String headerHash = Base64.getEncoder().encodeToString(hash.digest());
        if (type.isMultipart() && type.boundary() != null) {
            if (stack.size() >= MimeOutline.MAX_DEPTH) {
                fail("MIME parts nested deeper than " + MimeOutline.MAX_DEPTH + " levels (at part " + path + ")");
                return;
            }
            stack.add(new Multipart(type.boundary(), path, type.type().equals("multipart/digest")));
            return;
        }
        leaf = new Leaf(path.isEmpty() ? "1" : path, type.type(), headerHash, encoding);
    }

    private void endLeaf() {
        if (leaf != null) {
            parts.add(leaf.part());
            leaf = null;
        }
    }

    private void fail(String reason) {
        failure = new RecipeException(reason);
        leaf = null;
        partHeader = null;
        stack.clear();
    }
}
