package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.sealpost.signing.dkim.HeaderField;
import org.sealpost.signing.dkim.MessageReader;

/**
 * Fuzzes {@link MimeOutline} on any message octets. Properties: the outline is built or refused with
 * a {@link RecipeException}, nothing else; it is the same whether the body comes whole or in pieces
 * of 1 to 16 octets; it has at most {@link MimeOutline#MAX_PARTS} parts, each numbered 1, 1.2, ...
 * with at most {@link MimeOutline#MAX_DEPTH} levels and a type/subtype. Seeds:
 * src/test/resources/.../dkim2/MimeOutlineFuzzTestInputs/outline; signing/fuzz/run-fuzz.sh fuzzes.
 */
class MimeOutlineFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void outline(byte[] input) {
        Object whole = outcome(input, input.length);
        assertEquals(whole, outcome(input, 1 + (input.length == 0 ? 0 : (input[0] & 0x0f))), "chunking changed the outline");
        if (whole instanceof List<?> parts) {
            assertTrue(parts.size() <= MimeOutline.MAX_PARTS);
            for (Object p : parts) {
                MimeOutline.Part part = (MimeOutline.Part) p;
                assertTrue(part.path().matches("[1-9][0-9]*(\\.[1-9][0-9]*){0," + (MimeOutline.MAX_DEPTH - 1) + "}"), part.path());
                assertTrue(part.contentType().matches("[^/\\s]+/[^/\\s]+"), part.contentType());
            }
        }
    }

    /** The parts, or the refusal, with the message fed in pieces of {@code piece} octets. */
    private static Object outcome(byte[] message, int piece) {
        MimeOutline.Builder[] builder = new MimeOutline.Builder[1];
        BodyLineSplitter[] splitter = new BodyLineSplitter[1];
        MessageReader reader = new MessageReader(new MessageReader.Listener() {
            @Override
            public void headers(List<HeaderField> fields) {
                builder[0] = MimeOutline.builder(fields);
                splitter[0] = new BodyLineSplitter(builder[0], 64 * 1024);
            }

            @Override
            public void body(byte[] data, int offset, int length) {
                splitter[0].feed(data, offset, length);
            }

            @Override
            public void headersTooLarge(int limit) {
            }
        }, 64 * 1024);
        try {
            for (int i = 0; i < message.length; i += Math.max(1, piece)) {
                reader.feed(message, i, Math.min(Math.max(1, piece), message.length - i));
            }
            reader.finish();
            if (builder[0] == null) {
                return "header too large";
            }
            splitter[0].finish();
            return builder[0].outline().parts();
        } catch (RecipeException e) {
            return "refused: " + e.getMessage();
        } catch (RecipeException.Unchecked e) {
            return "refused: " + e.getMessage();
        }
    }
}
