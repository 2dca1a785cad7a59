package org.sealpost.signing.arc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.sealpost.signing.dkim.HeaderField;
import org.sealpost.signing.dkim.MessageReader;
import org.sealpost.signing.dkim.TagList;

/**
 * Fuzzes the ARC header parsing ({@link ArcChain#read}: instance numbers, the AAR "i=N;" prefix, the
 * ARC-Message-Signature and ARC-Seal tag lists, the cv rules) on an arbitrary header section.
 * Properties: nothing escapes; reading is deterministic; NONE exactly when no field has an ARC name;
 * a PASS has the sets 1..N in order with N at most 50, one of each field per set, i=1 cv=none and
 * cv=pass above, no h= on a seal and no ARC-Seal in a message signature's h=; a FAIL has a reason.
 * Seeds: src/test/resources/org/sealpost/signing/arc/ArcHeaderFuzzTestInputs/arcHeaders (chains sealed
 * by dkimpy and by Sealpost); signing/fuzz/run-fuzz.sh fuzzes.
 */
class ArcHeaderFuzzTest {

    private static final Instant NOW = Instant.ofEpochSecond(1796160225);

    @FuzzTest(maxDuration = "5m")
    void arcHeaders(byte[] input) {
        List<HeaderField> fields = fields(input);
        ArcChain chain = ArcChain.read(fields, false, NOW, Duration.ofMinutes(5));
        ArcChain again = ArcChain.read(fields, false, NOW, Duration.ofMinutes(5));
        assertEquals(chain.status(), again.status(), "reading is not deterministic");
        assertEquals(chain.reason(), again.reason(), "reading is not deterministic");
        boolean anyArc = fields.stream().anyMatch(ArcChain::isArcField);
        assertEquals(!anyArc, chain.status() == ArcStatus.NONE, "NONE does not match the absence of ARC fields");
        if (chain.status() == ArcStatus.FAIL) {
            assertFalse(chain.reason().isEmpty(), "a failure without a reason");
            return;
        }
        if (chain.status() == ArcStatus.NONE) {
            return;
        }
        List<ArcChain.ArcSet> sets = chain.sets();
        assertTrue(!sets.isEmpty() && sets.size() <= ArcChain.MAX_SETS, "set count " + sets.size());
        assertEquals(chain.highest(), sets.size(), "highest i= is not the number of sets");
        for (int i = 0; i < sets.size(); i++) {
            ArcChain.ArcSet set = sets.get(i);
            assertEquals(i + 1, set.instance(), "sets out of order or with a gap");
            assertEquals(i + 1, set.messageSignature().instance());
            assertEquals(i + 1, set.seal().instance());
            assertEquals(i + 1, ArcChain.resultsInstance(set.results().value()));
            assertEquals(i == 0 ? ArcStatus.NONE : ArcStatus.PASS, set.seal().cv(), "cv rule broken at i=" + (i + 1));
            assertTrue(TagList.isDomain(set.seal().domain()) && TagList.isDomain(set.messageSignature().domain()));
            assertTrue(set.messageSignature().signedHeaders().stream().noneMatch(h -> h.equalsIgnoreCase("ARC-Seal")),
                    "ARC-Seal in h=");
            assertTrue(set.seal().signature().length > 0 && set.messageSignature().signature().length > 0, "empty b=");
        }
        // Exactly one field of each kind per instance among the message's ARC fields.
        long arcFields = fields.stream().filter(ArcChain::isArcField).count();
        assertEquals(3L * sets.size(), arcFields, "ARC fields beyond the sets read");
    }

    private static List<HeaderField> fields(byte[] input) {
        List<HeaderField> out = new ArrayList<>();
        MessageReader reader = new MessageReader(new MessageReader.Listener() {
            @Override
            public void headers(List<HeaderField> headerFields) {
                out.addAll(headerFields);
            }

            @Override
            public void body(byte[] data, int offset, int length) {
            }

            @Override
            public void headersTooLarge(int limit) {
            }
        }, 1 << 20);
        byte[] text = new String(input, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace("\n", "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        reader.feed(text, 0, text.length);
        reader.finish();
        return out;
    }
}
