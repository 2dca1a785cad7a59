package org.sealpost.signing.dkim2;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the recipe JSON object of -06 5 with jackson-core's streaming parser, checking
 * the schema as it reads: a recipe comes from whoever sent the message, so every rule is enforced.
 */
final class RecipeJson {

    /** The parts of one recipe: {@code header} null when there is no h, {@code body} null when b is absent or null. */
    record Parts(Map<String, List<RecipeStep>> header, List<RecipeStep> body, boolean bodyLost) {
    }

    // RFC 8259 strictly (jackson's defaults: no comments, no single quotes, no NaN, no leading zeros),
    // duplicate members refused (a recipe that says two things about one name is ambiguous), and a
    // nesting limit far above the schema's five levels that still bounds what ignored members may hold.
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .build();

    private RecipeJson() {
    }

    static Parts read(byte[] json) throws RecipeException {
        Map<String, List<RecipeStep>> header = null;
        List<RecipeStep> body = null;
        boolean hasBody = false;
        boolean bodyLost = false;
        String text;
        try {
            // RFC 8259 8.1: JSON between systems MUST be UTF-8. Decoded here, strictly, because
            // jackson's byte parser would guess UTF-16 or UTF-32 from the first octets.
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(json)).toString();
        } catch (CharacterCodingException e) {
            throw new RecipeException("the recipe JSON is not UTF-8 (RFC 8259 8.1)");
        }
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new RecipeException("the recipe JSON is not an object (-06 5)");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String member = parser.currentName();
                JsonToken value = parser.nextToken();
                if (member.equals("h")) {
                    header = readHeader(parser, value);
                } else if (member.equals("b")) {
                    hasBody = true;
                    if (value == JsonToken.VALUE_NULL) {
                        bodyLost = true; // -06 5.2: the earlier body cannot be recreated
                    } else {
                        body = readSteps(parser, value, "b");
                    }
                } else {
                    parser.skipChildren(); // -06 2: unrecognised members MUST be ignored
                }
            }
            if (parser.nextToken() != null) {
                throw new RecipeException("the recipe JSON has more after its object");
            }
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? "" : " (at character " + (e.getLocation().getCharOffset() + 1) + ")";
            throw new RecipeException("the recipe is not valid JSON: " + e.getOriginalMessage() + at);
        } catch (IOException e) {
            // Reading a string fails only through its content; whatever jackson calls it, the JSON is bad.
            throw new RecipeException("the recipe is not valid JSON: " + e.getMessage());
        }
        if (header == null && !hasBody) {
            throw new RecipeException("the recipe has neither h nor b (-06 5: one of them is required)");
        }
        return new Parts(header, body, bodyLost);
    }

    private static Map<String, List<RecipeStep>> readHeader(JsonParser parser, JsonToken value)
            throws IOException, RecipeException {
        if (value != JsonToken.START_OBJECT) {
            throw new RecipeException("h is not an object of field names (-06 5)");
        }
        Map<String, List<RecipeStep>> header = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            checkFieldName(name);
            header.put(name, readSteps(parser, parser.nextToken(), "h." + name));
        }
        if (header.isEmpty()) {
            throw new RecipeException("h has no member (-06 5: minProperties 1)");
        }
        return header;
    }

    // -06 5.1: names MUST be lower case; RFC 5322 3.6.8: a field name is printable US-ASCII but colon.
    static void checkFieldName(String name) throws RecipeException {
        if (name.isEmpty()) {
            throw new RecipeException("h has an empty field name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 33 || c > 126 || c == ':') {
                throw new RecipeException("h member \"" + printable(name) + "\" is not a field name (RFC 5322 3.6.8)");
            }
            if (c >= 'A' && c <= 'Z') {
                throw new RecipeException("h member \"" + name + "\" is not lower case (-06 5.1)");
            }
        }
    }

    private static List<RecipeStep> readSteps(JsonParser parser, JsonToken value, String where)
            throws IOException, RecipeException {
        if (value != JsonToken.START_ARRAY) {
            throw new RecipeException(where + " is not an array of steps (-06 5)");
        }
        List<RecipeStep> steps = new ArrayList<>();
        long lastCopyEnd = 0;
        for (int n = 1; parser.nextToken() != JsonToken.END_ARRAY; n++) {
            String at = where + " step " + n;
            RecipeStep step = readStep(parser, at);
            if (step.isCopy()) {
                if (step.start() > step.end()) {
                    throw new RecipeException(at + " {\"c\":[" + step.start() + "," + step.end() + "]} ends before it starts");
                }
                if (step.start() <= lastCopyEnd) {
                    // -06 5.1, 5.2: each c start is greater than the end of every preceding c step
                    throw new RecipeException(at + " {\"c\":[" + step.start() + "," + step.end()
                            + "]} does not start after the previous copy, which ended at " + lastCopyEnd);
                }
                lastCopyEnd = step.end();
            }
            steps.add(step);
        }
        return steps;
    }

    private static RecipeStep readStep(JsonParser parser, String at) throws IOException, RecipeException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new RecipeException(at + " is not an object");
        }
        RecipeStep step = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            if (step != null || !key.equals("c") && !key.equals("d")) {
                // -06 5.1, 5.2: "each Recipe step is a JSON object with exactly one key"; the schema
                // says additionalProperties false, which is more specific than -06 2's general rule.
                throw new RecipeException(at + " has member \"" + printable(key) + "\": a step has exactly one key, c or d (-06 5.1)");
            }
            JsonToken value = parser.nextToken();
            step = key.equals("c") ? readCopy(parser, value, at) : readData(parser, value, at);
        }
        if (step == null) {
            throw new RecipeException(at + " is empty: a step has exactly one key, c or d (-06 5.1)");
        }
        return step;
    }

    private static RecipeStep readCopy(JsonParser parser, JsonToken value, String at) throws IOException, RecipeException {
        if (value != JsonToken.START_ARRAY) {
            throw new RecipeException(at + " c is not an array [start, end]");
        }
        long[] range = new long[2];
        int count = 0;
        for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
            if (item != JsonToken.VALUE_NUMBER_INT) {
                throw new RecipeException(at + " c holds " + describe(item) + ", not an integer");
            }
            if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new RecipeException(at + " c holds " + parser.getText() + ", too large a line or field number");
            }
            long number = parser.getLongValue();
            if (number < 1) {
                throw new RecipeException(at + " c holds " + number + ": numbers start at 1 (-06 5 minimum 1)");
            }
            if (count == 2) {
                throw new RecipeException(at + " c has more than two numbers: it is [start, end]");
            }
            range[count++] = number;
        }
        if (count != 2) {
            throw new RecipeException(at + " c has " + count + (count == 1 ? " number" : " numbers") + ": it is [start, end]");
        }
        return RecipeStep.copy(range[0], range[1]);
    }

    private static RecipeStep readData(JsonParser parser, JsonToken value, String at) throws IOException, RecipeException {
        if (value != JsonToken.START_ARRAY) {
            throw new RecipeException(at + " d is not an array of strings");
        }
        List<String> data = new ArrayList<>();
        for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
            if (item != JsonToken.VALUE_STRING) {
                throw new RecipeException(at + " d string " + (data.size() + 1) + " is " + describe(item) + ", not a string");
            }
            String text = parser.getText();
            if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
                throw new RecipeException(at + " d string " + (data.size() + 1) + " holds CR or LF (-06 5.1, 5.2 forbid them)");
            }
            if (!wellFormed(text)) {
                // RFC 8259 8.2: a string with an unpaired surrogate has no UTF-8 form to emit
                throw new RecipeException(at + " d string " + (data.size() + 1) + " holds an unpaired surrogate escape");
            }
            data.add(text);
        }
        if (data.isEmpty()) {
            throw new RecipeException(at + " d is empty (-06 5: minItems 1)");
        }
        return RecipeStep.data(data);
    }

    private static boolean wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case VALUE_NUMBER_FLOAT -> "a fraction";
            case VALUE_STRING -> "a string";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_NUMBER_INT -> "an integer";
            default -> token.toString();
        };
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            out.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.toString();
    }

    /** Compact JSON, members in a fixed order: h (names as held), then b. */
    static byte[] write(Parts parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            if (parts.header() != null) {
                json.writeFieldName("h");
                json.writeStartObject();
                for (Map.Entry<String, List<RecipeStep>> field : parts.header().entrySet()) {
                    json.writeFieldName(field.getKey());
                    writeSteps(json, field.getValue());
                }
                json.writeEndObject();
            }
            if (parts.bodyLost()) {
                json.writeFieldName("b");
                json.writeNull();
            } else if (parts.body() != null) {
                json.writeFieldName("b");
                writeSteps(json, parts.body());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeSteps(JsonGenerator json, List<RecipeStep> steps) throws IOException {
        json.writeStartArray();
        for (RecipeStep step : steps) {
            json.writeStartObject();
            if (step.isCopy()) {
                json.writeFieldName("c");
                json.writeStartArray();
                json.writeNumber(step.start());
                json.writeNumber(step.end());
                json.writeEndArray();
            } else {
                json.writeFieldName("d");
                json.writeStartArray();
                for (String value : step.data()) {
                    json.writeString(value);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
