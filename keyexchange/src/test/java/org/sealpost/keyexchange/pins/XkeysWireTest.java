package org.sealpost.keyexchange.pins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The keyword's parameter and the XKEYS reply, as both sides write and read them. */
class XkeysWireTest {

    private static KeySet set() throws Exception {
        KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        return KeySet.sign("mx.example.net", 3, Instant.parse("2026-11-22T00:00:00Z"), Instant.parse("2026-12-22T00:00:00Z"), "",
                List.of(KeySet.spkiSha256(key.getPublic())), List.of(), List.of(new KeySet.Dkim("example.net", "s1", "ed25519")),
                key.getPrivate());
    }

    @Test
    void reply_roundTrips_andEveryLineIsShort() throws Exception {
        KeySet set = set();
        List<String> lines = XkeysWire.replyLines(set);
        assertTrue(lines.stream().allMatch(line -> line.length() <= 80), lines.toString());
        assertArrayEquals(set.encode(), XkeysWire.parseReply(250, lines));
    }

    @Test
    void parameter_givesTheHashOfVersionOne_andSkipsUnknownVersions() throws Exception {
        KeySet set = set();
        assertEquals(set.hash(), XkeysWire.advertisedHash(XkeysWire.ehloParameter(set)));
        assertEquals(set.hash(), XkeysWire.advertisedHash("2 abc 1 " + set.hash()));
        assertNull(XkeysWire.advertisedHash("2 " + set.hash()));
        assertNull(XkeysWire.advertisedHash("1 tooshort"));
        assertNull(XkeysWire.advertisedHash(""));
        assertNull(XkeysWire.advertisedHash(null));
    }

    @Test
    void reply_withAWrongLength_orCode_orNoEnd_isRefused() throws Exception {
        List<String> lines = new ArrayList<>(XkeysWire.replyLines(set()));
        assertThrows(InvalidKeySetException.class, () -> XkeysWire.parseReply(502, List.of("5.5.1 not implemented")));
        List<String> noEnd = lines.subList(0, lines.size() - 1);
        assertThrows(InvalidKeySetException.class, () -> XkeysWire.parseReply(250, noEnd));
        List<String> wrongLength = new ArrayList<>(lines);
        wrongLength.set(0, "2.0.0 XKEYS 1 7");
        assertThrows(InvalidKeySetException.class, () -> XkeysWire.parseReply(250, wrongLength));
        List<String> huge = new ArrayList<>(lines);
        huge.set(0, "2.0.0 XKEYS 1 999999");
        InvalidKeySetException e = assertThrows(InvalidKeySetException.class, () -> XkeysWire.parseReply(250, huge));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
        List<String> notBase64 = new ArrayList<>(lines);
        notBase64.set(1, "not base64 at all!");
        assertThrows(InvalidKeySetException.class, () -> XkeysWire.parseReply(250, notBase64));
    }
}
