package org.sealpost.signing.dkim2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sealpost.signing.dkim.HeaderField;

/**
 * Applies header recipes (-06 5.1) to a later header section, giving the earlier one.
 *
 * <p>Instances of a name are numbered bottom up; the steps emit fields so that later ones appear
 * above earlier ones. The recreated instances of a name take the place of the topmost later
 * instance of that name, or go to the bottom of the header section when the later version has none;
 * fields of other names stay where they are. The -06 6.2 hash sorts fields by name, so this placement
 * changes no hash; it only keeps the recreated version readable.
 */
final class HeaderRecipes {

    private HeaderRecipes() {
    }

    static List<HeaderField> apply(Map<String, List<RecipeStep>> recipes, List<HeaderField> later) throws RecipeException {
        Map<String, List<HeaderField>> instances = new HashMap<>();
        Map<String, Integer> topmost = new HashMap<>();
        for (int i = 0; i < later.size(); i++) {
            String key = RecipeFieldNames.key(later.get(i).name());
            if (recipes.containsKey(key)) {
                instances.computeIfAbsent(key, k -> new ArrayList<>()).add(later.get(i));
                topmost.putIfAbsent(key, i);
            }
        }
        Map<String, List<HeaderField>> blocks = new HashMap<>();
        for (Map.Entry<String, List<RecipeStep>> recipe : recipes.entrySet()) {
            String key = recipe.getKey();
            blocks.put(key, recreate(key, recipe.getValue(), instances.getOrDefault(key, List.of())));
        }
        List<HeaderField> earlier = new ArrayList<>(later.size() + 4);
        for (int i = 0; i < later.size(); i++) {
            String key = RecipeFieldNames.key(later.get(i).name());
            if (!recipes.containsKey(key)) {
                earlier.add(later.get(i));
            } else if (topmost.get(key) == i) {
                earlier.addAll(blocks.remove(key));
            }
        }
        for (String key : recipes.keySet()) {
            List<HeaderField> block = blocks.remove(key);
            if (block != null) {
                earlier.addAll(block); // a name the later version lacks: recreated at the bottom
            }
        }
        return earlier;
    }

    /** The earlier instances of one name, top down. */
    private static List<HeaderField> recreate(String key, List<RecipeStep> steps, List<HeaderField> topDown)
            throws RecipeException {
        int count = topDown.size();
        List<HeaderField> bottomUp = new ArrayList<>();
        for (int n = 0; n < steps.size(); n++) {
            RecipeStep step = steps.get(n);
            if (step.isCopy()) {
                if (step.end() > count) {
                    throw new RecipeException("h." + key + " step " + (n + 1) + " " + step.describe() + " copies field "
                            + step.end() + " of " + key + ", but the later header has " + count);
                }
                for (long number = step.start(); number <= step.end(); number++) {
                    bottomUp.add(topDown.get(count - (int) number)); // -06 5.1: the last instance is 1
                }
            } else {
                for (String value : step.data()) {
                    // -06 5.1: the name and a colon are prepended; HeaderField holds octets as ISO-8859-1
                    String octets = new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
                    bottomUp.add(HeaderField.of(key + ":" + octets));
                }
            }
        }
        Collections.reverse(bottomUp);
        return bottomUp;
    }
}
