package org.sealpost.signing.dkim;

import java.util.List;

/**
 * Writes a DKIM-Signature field folded at 76 columns, b= last so that everything before its value
 * is exactly what was signed (RFC 6376 3.5, 3.7).
 */
public final class SignatureFolder {

    private static final int WIDTH = 76;

    private final StringBuilder out;
    private int column;

    SignatureFolder() {
        this("DKIM-Signature");
    }

    /** A folder for another DKIM-like field (ARC-Message-Signature, ARC-Seal). */
    public SignatureFolder(String fieldName) {
        out = new StringBuilder(fieldName).append(':');
        column = out.length();
    }

    /** Adds "name=value;", on the current line if it fits. */
    public SignatureFolder tag(String name, String value) {
        place(name + "=" + value + ";", true);
        return this;
    }

    /** Adds h=, folding only after a colon. */
    public SignatureFolder headerList(List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            String piece = (i == 0 ? "h=" : "") + names.get(i) + (i == names.size() - 1 ? ";" : ":");
            place(piece, i == 0);
        }
        return this;
    }

    /** The field up to and including "b=": what the signature covers. */
    public String beforeSignature() {
        place("b=", true);
        return out.toString();
    }

    /** The whole field, the base64 b= value folded too, without the final CRLF. */
    public String withSignature(String b) {
        int i = 0;
        while (i < b.length()) {
            int room = WIDTH - column;
            if (room < 8) {
                out.append("\r\n ");
                column = 1;
                room = WIDTH - 1;
            }
            int n = Math.min(room, b.length() - i);
            out.append(b, i, i + n);
            column += n;
            i += n;
        }
        return out.toString();
    }

    private void place(String piece, boolean spaceBefore) {
        int needed = piece.length() + (spaceBefore ? 1 : 0);
        if (column + needed > WIDTH && column > 1) {
            out.append("\r\n ");
            column = 1;
        } else if (spaceBefore) {
            out.append(' ');
            column++;
        }
        out.append(piece);
        column += piece.length();
    }
}
