package org.sealpost.keyexchange.pins;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The XKEYS extension on the wire (docs/xkeys.md): the EHLO keyword with the set-hash, and the
 * multi-line reply to the XKEYS command that carries the key set in base64. Both sides use this
 * class, so what the server writes is exactly what the client reads.
 */
public final class XkeysWire {

    /** The EHLO keyword and the command (RFC 5321 4.1.1.1: an "X" keyword, private to its users). */
    public static final String KEYWORD = "XKEYS";

    /** The largest key set a client accepts; a real one is well under 2 KiB. */
    public static final int MAX_SET_OCTETS = 16 * 1024;

    private static final String VERSION = "1";
    private static final Pattern HASH = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final int BASE64_LINE = 76;

    private XkeysWire() {
    }

    /** The parameter of the EHLO keyword: "1 <set-hash>". */
    public static String ehloParameter(KeySet set) {
        return VERSION + " " + set.hash();
    }

    /**
     * The set-hash of version 1 in an EHLO keyword's parameter, or null when there is none. The
     * parameter is a list of "version hash" pairs, so that a later version can be offered beside
     * version 1 while clients of version 1 still pin; unknown versions are skipped.
     */
    public static String advertisedHash(String parameter) {
        if (parameter == null) {
            return null;
        }
        String[] words = parameter.trim().split("\\s+");
        for (int i = 0; i + 1 < words.length; i += 2) {
            if (words[i].equals(VERSION) && HASH.matcher(words[i + 1]).matches()) {
                return words[i + 1];
            }
        }
        return null;
    }

    /** The lines of the 250 reply to XKEYS, without the code: header, base64 lines, "2.0.0 end". */
    public static List<String> replyLines(KeySet set) {
        byte[] octets = set.encode();
        String base64 = Base64.getEncoder().encodeToString(octets);
        List<String> lines = new ArrayList<>();
        lines.add("2.0.0 XKEYS " + VERSION + " " + octets.length);
        for (int i = 0; i < base64.length(); i += BASE64_LINE) {
            lines.add(base64.substring(i, Math.min(base64.length(), i + BASE64_LINE)));
        }
        lines.add("2.0.0 end");
        return lines;
    }

    /** The key set's octets from a reply to XKEYS, after checking its code, header and length. */
    public static byte[] parseReply(int code, List<String> lines) throws InvalidKeySetException {
        if (code != 250) {
            throw new InvalidKeySetException("XKEYS answered " + code + " " + String.join(" ", lines).strip());
        }
        if (lines.size() < 3 || !lines.get(lines.size() - 1).trim().equals("2.0.0 end")) {
            throw new InvalidKeySetException("the XKEYS reply must end with '250 2.0.0 end'");
        }
        String[] header = lines.get(0).trim().split(" ");
        if (header.length != 4 || !header[0].equals("2.0.0") || !header[1].equals(KEYWORD) || !header[2].equals(VERSION)
                || !header[3].matches("[0-9]{1,6}")) {
            throw new InvalidKeySetException("the XKEYS reply starts with '250-2.0.0 XKEYS 1 LENGTH', not '" + lines.get(0) + "'");
        }
        int length = Integer.parseInt(header[3]);
        if (length > MAX_SET_OCTETS) {
            throw new InvalidKeySetException("the key set of " + length + " octets exceeds the limit of " + MAX_SET_OCTETS);
        }
        StringBuilder base64 = new StringBuilder();
        for (String line : lines.subList(1, lines.size() - 1)) {
            base64.append(line.trim());
        }
        byte[] octets;
        try {
            octets = Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw new InvalidKeySetException("the XKEYS reply is not base64: " + e.getMessage());
        }
        if (octets.length != length) {
            throw new InvalidKeySetException("the XKEYS reply announced " + length + " octets and carried " + octets.length);
        }
        return octets;
    }
}
