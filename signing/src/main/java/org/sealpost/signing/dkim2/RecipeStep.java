package org.sealpost.signing.dkim2;

import java.util.List;

/**
 * One recipe step (-06 5.1, 5.2): a copy of the later version's items {@code start..end}, or
 * {@code data} to emit (header field values or body lines, as JSON text).
 */
record RecipeStep(long start, long end, List<String> data) {

    RecipeStep {
        data = data == null ? null : List.copyOf(data);
    }

    static RecipeStep copy(long start, long end) {
        return new RecipeStep(start, end, null);
    }

    static RecipeStep data(List<String> values) {
        return new RecipeStep(0, 0, values);
    }

    boolean isCopy() {
        return data == null;
    }

    /** The step as written in JSON, for error messages. */
    String describe() {
        if (isCopy()) {
            return "{\"c\":[" + start + "," + end + "]}";
        }
        return "{\"d\":[" + data.size() + (data.size() == 1 ? " string" : " strings") + "]}";
    }
}
