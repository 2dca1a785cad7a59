package org.sealpost.signing.dkim2;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Applies a body recipe (-06 5.2) in one pass: takes the later body's lines and passes the earlier
 * body's lines on. The c steps ascend (checked when the recipe was read), so no line is needed twice
 * and none is kept.
 */
final class BodyRecipe implements BodyLines {

    private final List<RecipeStep> steps;
    private final BodyLines earlier;
    private int step;
    private long line;

    BodyRecipe(List<RecipeStep> steps, BodyLines earlier) {
        this.steps = steps;
        this.earlier = earlier;
    }

    @Override
    public void line(byte[] data, int offset, int length) {
        line++;
        emitData();
        if (step == steps.size()) {
            return; // lines after the last copy are not in the earlier body
        }
        RecipeStep copy = steps.get(step);
        if (line >= copy.start()) {
            earlier.line(data, offset, length);
            if (line == copy.end()) {
                step++;
                emitData();
            }
        }
    }

    @Override
    public void end() {
        emitData();
        if (step < steps.size()) {
            RecipeStep copy = steps.get(step);
            throw new RecipeException.Unchecked(new RecipeException("b step " + (step + 1) + " " + copy.describe()
                    + " copies line " + copy.end() + ", but the later body has " + line + (line == 1 ? " line" : " lines")));
        }
        earlier.end();
    }

    /** Emits the d steps that come next, up to the next c step. */
    private void emitData() {
        while (step < steps.size() && !steps.get(step).isCopy()) {
            for (String value : steps.get(step).data()) {
                byte[] octets = value.getBytes(StandardCharsets.UTF_8);
                earlier.line(octets, 0, octets.length);
            }
            step++;
        }
    }
}
