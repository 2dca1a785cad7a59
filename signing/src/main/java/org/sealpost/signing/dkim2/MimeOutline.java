package org.sealpost.signing.dkim2;

import java.util.List;
import org.sealpost.signing.dkim.HeaderField;

/**
 * The MIME structure of one version of a message, in brief: its leaf parts in document order, each
 * with its part number, content type and hashes. Built streaming from the header fields and the body
 * lines ({@link #builder}), so the verifier can make one per version while it recreates the versions.
 *
 * <p>Part numbers are IMAP's (RFC 3501 6.4.5), as the issue asks: a message that is not multipart has
 * the one part 1; the children of a multipart are 1, 2, ...; a multipart inside is numbered like any
 * part and its children are 1.1, 1.2, ... A message/rfc822 part is one part: its inside is content.
 * Only leaves are listed: a multipart is what its children are.
 *
 * <p>Multipart bodies follow RFC 2046 5.1.1: the preamble before the first delimiter and the
 * epilogue after the close delimiter belong to no part; a delimiter line may end in whitespace; an
 * enclosing boundary also ends the inner parts when an inner close delimiter is missing, and the end
 * of the body ends everything. A multipart without a usable boundary is one opaque part. The
 * default type is text/plain, message/rfc822 inside multipart/digest (RFC 2046 5.1.5).
 *
 * <p>Memory is bounded whatever arrives: at most {@value #MAX_DEPTH} levels of nesting,
 * {@value #MAX_PARTS} parts and {@value #MAX_PART_HEADER} octets of one part's header; past a limit
 * {@link Builder#outline()} throws {@link RecipeException}. One line at a time is seen, never kept.
 */
public final class MimeOutline {

    public static final int MAX_DEPTH = 20;
    public static final int MAX_PARTS = 1000;
    public static final int MAX_PART_HEADER = 64 * 1024;

    /**
     * One leaf part. {@code headerHash} covers the part's header fields (for part 1 of a message that
     * is not multipart, its Content-* fields) in their -06 6.2 form; {@code contentHash} the content as
     * it travels, lines joined with CRLF; {@code decodedHash} the content after its
     * content-transfer-encoding (RFC 2045 6: base64, quoted-printable; others as they are). Hashes are
     * base64 SHA-256.
     */
    public record Part(String path, String contentType, String headerHash, String contentHash, String decodedHash,
            long lines) {
    }

    /** Receives the body's lines; {@link #outline()} after {@link #end()}. */
    public static final class Builder implements BodyLines {
        private final MimeWalker walker;
        private boolean ended;

        private Builder(List<HeaderField> header) {
            walker = new MimeWalker(header);
        }

        @Override
        public void line(byte[] data, int offset, int length) {
            walker.line(data, offset, length);
        }

        @Override
        public void end() {
            if (!ended) {
                ended = true;
                walker.end();
            }
        }

        /**
         * The outline, once the body has ended.
         *
         * @throws RecipeException when the body passed a limit (nesting, part count, part header size)
         */
        public MimeOutline outline() throws RecipeException {
            if (!ended) {
                throw new IllegalStateException("the body has not ended");
            }
            return new MimeOutline(walker.parts());
        }
    }

    private final List<Part> parts;

    MimeOutline(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /** A builder for the version whose header section is {@code header} (top to bottom). */
    public static Builder builder(List<HeaderField> header) {
        return new Builder(header);
    }

    /** The leaf parts in document order. */
    public List<Part> parts() {
        return parts;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            out.append(out.length() == 0 ? "" : ", ").append(part.path()).append(' ').append(part.contentType());
        }
        return out.toString();
    }
}
