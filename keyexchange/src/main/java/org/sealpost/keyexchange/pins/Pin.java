package org.sealpost.keyexchange.pins;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/** A pinned key set of one MX host, with when it was first and last seen. */
public record Pin(KeySet set, Instant firstSeen, Instant lastSeen) {

    /** The stored form: two time lines, then the canonical set. */
    public byte[] encode() {
        byte[] head = ("first-seen " + firstSeen + "\nlast-seen " + lastSeen + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] set = this.set.encode();
        byte[] all = Arrays.copyOf(head, head.length + set.length);
        System.arraycopy(set, 0, all, head.length, set.length);
        return all;
    }

    public static Pin decode(byte[] stored) throws InvalidKeySetException {
        String text = new String(stored, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", 3);
        if (lines.length != 3 || !lines[0].startsWith("first-seen ") || !lines[1].startsWith("last-seen ")) {
            throw new InvalidKeySetException("a stored pin starts with first-seen and last-seen lines");
        }
        try {
            return new Pin(KeySet.parse(lines[2].getBytes(StandardCharsets.UTF_8)),
                    Instant.parse(lines[0].substring("first-seen ".length())),
                    Instant.parse(lines[1].substring("last-seen ".length())));
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidKeySetException("bad time in a stored pin: " + e.getMessage());
        }
    }
}
