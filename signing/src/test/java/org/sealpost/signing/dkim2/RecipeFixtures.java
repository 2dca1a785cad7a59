package org.sealpost.signing.dkim2;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.sealpost.signing.dkim.HeaderField;
import org.sealpost.signing.dkim.MessageReader;

/** Messages and the five edits of issue 15, and helpers that read and recreate versions, for the recipe tests. */
final class RecipeFixtures {

    private RecipeFixtures() {
    }

    /** One version of a message: its header fields and body lines. */
    record Version(List<HeaderField> header, List<String> lines) {
        MimeOutline outline() throws RecipeException {
            MimeOutline.Builder builder = MimeOutline.builder(header);
            for (String line : lines) {
                byte[] octets = line.getBytes(StandardCharsets.ISO_8859_1);
                builder.line(octets, 0, octets.length);
            }
            builder.end();
            return builder.outline();
        }

        /** The relevant fields' -06 6.2 values by lower-case name, top down: what the header hash sees. */
        java.util.Map<String, List<String>> relevantHeader() {
            java.util.Map<String, List<String>> out = new java.util.TreeMap<>();
            for (HeaderField field : header) {
                if (RecipeFieldNames.relevant(field.name())) {
                    out.computeIfAbsent(RecipeFieldNames.key(field.name()), k -> new ArrayList<>())
                            .add(RecipeFieldNames.canonicalValue(field));
                }
            }
            return out;
        }
    }

    /** Joins lines with CRLF (ISO-8859-1 octets), without a final CRLF unless the last line is "". */
    static byte[] message(String... lines) {
        return String.join("\r\n", lines).getBytes(StandardCharsets.ISO_8859_1);
    }

    static Version read(byte[] message) {
        List<List<HeaderField>> header = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        BodyLineSplitter splitter = new BodyLineSplitter(collector(lines));
        MessageReader reader = new MessageReader(new MessageReader.Listener() {
            @Override
            public void headers(List<HeaderField> fields) {
                header.add(fields);
            }

            @Override
            public void body(byte[] data, int offset, int length) {
                splitter.feed(data, offset, length);
            }

            @Override
            public void headersTooLarge(int limit) {
                throw new AssertionError("header too large");
            }
        }, 1 << 20);
        reader.feed(message, 0, message.length);
        reader.finish();
        splitter.finish();
        return new Version(header.get(0), lines);
    }

    static BodyLines collector(List<String> lines) {
        return new BodyLines() {
            @Override
            public void line(byte[] data, int offset, int length) {
                lines.add(new String(data, offset, length, StandardCharsets.ISO_8859_1));
            }

            @Override
            public void end() {
            }
        };
    }

    /** The earlier version the recipe recreates from the later message. */
    static Version recreate(Recipe recipe, byte[] laterMessage) throws RecipeException {
        Version later = read(laterMessage);
        List<String> lines = new ArrayList<>();
        BodyLines sink = recipe.earlierBody(collector(lines));
        for (String line : later.lines()) {
            byte[] octets = line.getBytes(StandardCharsets.ISO_8859_1);
            sink.line(octets, 0, octets.length);
        }
        sink.end();
        return new Version(recipe.earlierHeader(later.header()), lines);
    }

    static Recipe between(Path dir, byte[] earlier, byte[] later) throws IOException, RecipeException {
        Path e = Files.write(dir.resolve("earlier.eml"), earlier);
        Path l = Files.write(dir.resolve("later.eml"), later);
        return Recipe.between(e, l);
    }

    // ---- the messages of the five edits

    static final String PDF = Base64.getMimeEncoder().encodeToString(pdfBytes());
    static final String HTML = "<p>Hello,</p>\r\n<p>the minutes are attached.</p>";

    private static byte[] pdfBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 600; i++) {
            out.write((i * 37) & 0xff);
        }
        return out.toByteArray();
    }

    /** A simple text/plain message. */
    static byte[] plain(String subject, String... extraBody) {
        List<String> lines = new ArrayList<>(List.of(
                "Received: from a.example by b.example; Tue, 1 Dec 2026 10:00:00 +0000",
                "From: Alice <alice@example.com>",
                "To: list@example.org",
                "Reply-To: alice@example.com",
                "Subject: " + subject,
                "Date: Tue, 1 Dec 2026 10:00:00 +0000",
                "Message-ID: <1@example.com>",
                "",
                "Hello,",
                "",
                "the minutes are attached."));
        lines.addAll(List.of(extraBody));
        lines.add("");
        return message(lines.toArray(String[]::new));
    }

    /**
     * multipart/mixed: 1 multipart/alternative (1.1 text/plain quoted-printable, 1.2 text/html base64),
     * 2 application/pdf base64 (unless {@code withPdf} is false).
     */
    static byte[] mixed(String subject, boolean replyTo, String[] textLines, boolean htmlAsQuotedPrintable, boolean withPdf) {
        List<String> lines = new ArrayList<>(List.of(
                "From: Alice <alice@example.com>",
                "To: list@example.org"));
        if (replyTo) {
            lines.add("Reply-To: alice@example.com");
        }
        lines.addAll(List.of(
                "Subject: " + subject,
                "MIME-Version: 1.0",
                "Content-Type: multipart/mixed;",
                " boundary=\"outer-b\"",
                "X-Mailer: test",
                "",
                "This is a multi-part message in MIME format.",
                "--outer-b",
                "Content-Type: multipart/alternative; boundary=inner-b",
                "",
                "--inner-b",
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable",
                ""));
        lines.addAll(List.of(textLines));
        lines.addAll(List.of(
                "--inner-b",
                "Content-Type: text/html; charset=utf-8"));
        if (htmlAsQuotedPrintable) {
            lines.add("Content-Transfer-Encoding: quoted-printable");
            lines.add("");
            lines.addAll(List.of(HTML.split("\r\n")));
        } else {
            lines.add("Content-Transfer-Encoding: base64");
            lines.add("");
            lines.addAll(List.of(Base64.getMimeEncoder().encodeToString(HTML.getBytes(StandardCharsets.UTF_8)).split("\r\n")));
        }
        lines.add("--inner-b--");
        lines.add("");
        if (withPdf) {
            lines.addAll(List.of(
                    "--outer-b",
                    "Content-Type: application/pdf; name=minutes.pdf",
                    "Content-Disposition: attachment; filename=minutes.pdf",
                    "Content-Transfer-Encoding: base64",
                    ""));
            lines.addAll(List.of(PDF.split("\r\n")));
        }
        lines.add("--outer-b--");
        lines.add("");
        return message(lines.toArray(String[]::new));
    }

    static final String[] TEXT = {"Hello,", "", "the minutes are attached.", "Gr=C3=BC=C3=9Fe, Alice"};
    static final String[] TEXT_WITH_FOOTER = {"Hello,", "", "the minutes are attached.", "Gr=C3=BC=C3=9Fe, Alice",
        "--", "list mailing list", "https://lists.example.org/list"};

    static byte[] original() {
        return mixed("Minutes", true, TEXT, false, true);
    }
}
