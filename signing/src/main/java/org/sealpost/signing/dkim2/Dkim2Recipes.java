package org.sealpost.signing.dkim2;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.sealpost.signing.dkim.HeaderField;

/**
 * The recipe engine in the verifier's seam (-06 5, 10.2): the recipe of Message-Instance m turns
 * version m of the message into version m-1, header section and body, while the body streams
 * through; and the change report says, from the two versions' header fields and MIME outlines,
 * which fields and parts that hop changed. Stateless: every message gets stages of its own.
 */
public final class Dkim2Recipes implements EarlierVersions {

    /** The engine; it holds nothing between messages. */
    public static final Dkim2Recipes ENGINE = new Dkim2Recipes();

    private static final byte[] CRLF = {'\r', '\n'};

    private Dkim2Recipes() {
    }

    @Override
    public Optional<Stage> recreate(MessageInstance instance, List<HeaderField> headers) throws Dkim2PermanentError {
        String where = Dkim2Wire.INSTANCE_FIELD + " m=" + instance.m();
        String json = instance.recipe().orElseThrow(() -> new Dkim2PermanentError(where + " tag=r missing"));
        Recipe recipe;
        try {
            recipe = Recipe.decode(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
        } catch (RecipeException e) {
            throw new Dkim2PermanentError(where + " contains invalid JSON: " + e.getMessage());
        }
        if (recipe.bodyLost()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RecipeStage(recipe, headers, recipe.earlierHeader(headers), where));
        } catch (RecipeException e) {
            throw new Dkim2PermanentError(where + " recipe does not fit the header: " + e.getMessage());
        }
    }

    /** Version m-1 of one message, and what changed between it and version m. */
    private static final class RecipeStage implements Stage {
        private final Recipe recipe;
        private final List<HeaderField> later;
        private final List<HeaderField> earlier;
        private final String where;
        private final MimeOutline.Builder laterOutline;
        private final MimeOutline.Builder earlierOutline;
        private String failure;
        private boolean belowFinished;
        private List<String> changes = List.of();

        RecipeStage(Recipe recipe, List<HeaderField> later, List<HeaderField> earlier, String where) {
            this.recipe = recipe;
            this.later = later;
            this.earlier = earlier;
            this.where = where;
            this.laterOutline = MimeOutline.builder(later);
            this.earlierOutline = MimeOutline.builder(earlier);
        }

        @Override
        public List<HeaderField> headers() {
            return earlier;
        }

        @Override
        public BodySink body(BodySink below) {
            BodyLines toBelow = both(new BodyLines() {
                @Override
                public void line(byte[] data, int offset, int length) {
                    below.write(data, offset, length);
                    below.write(CRLF, 0, 2);
                }

                @Override
                public void end() {
                    belowFinished = true;
                    below.finish();
                }
            }, earlierOutline);
            BodyLineSplitter splitter = new BodyLineSplitter(both(recipe.earlierBody(toBelow), laterOutline));
            return new BodySink() {
                @Override
                public void write(byte[] data, int offset, int length) {
                    if (failure == null) {
                        try {
                            splitter.feed(data, offset, length);
                        } catch (RecipeException.Unchecked e) {
                            failure = e.recipeError().getMessage();
                        }
                    }
                }

                @Override
                public void finish() {
                    try {
                        if (failure == null) {
                            splitter.finish();
                        }
                    } catch (RecipeException.Unchecked e) {
                        failure = e.recipeError().getMessage();
                    }
                    if (failure != null) {
                        if (!belowFinished) {
                            // The version below still gets an end, so its hashes are compared and fail.
                            belowFinished = true;
                            below.finish();
                        }
                        changes = List.of("(not reported: " + where + " recipe could not be applied: " + failure + ")");
                        return;
                    }
                    try {
                        changes = ChangeReport.between(earlier, earlierOutline.outline(), later, laterOutline.outline())
                                .lines();
                    } catch (RecipeException e) {
                        changes = List.of("(not reported: " + e.getMessage() + ")");
                    }
                }
            };
        }

        @Override
        public List<String> changes() {
            return changes;
        }
    }

    /** Each line to both. */
    private static BodyLines both(BodyLines first, BodyLines second) {
        return new BodyLines() {
            @Override
            public void line(byte[] data, int offset, int length) {
                first.line(data, offset, length);
                second.line(data, offset, length);
            }

            @Override
            public void end() {
                first.end();
                second.end();
            }
        };
    }
}
