package org.sealpost.signing.dkim2;

/**
 * A recipe that cannot be read or applied, or a pair of versions no recipe can join; the message
 * says what was wrong and where (which step of which field), as -06 11.2 asks for JSON errors.
 */
public final class RecipeException extends Exception {

    private static final long serialVersionUID = 1L;

    public RecipeException(String message) {
        super(message, null, false, false);
    }

    /** The unchecked carrier for a {@link RecipeException} raised inside a {@link BodyLines} sink. */
    public static final class Unchecked extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public Unchecked(RecipeException cause) {
            super(cause.getMessage(), cause, false, false);
        }

        /** The recipe error itself. */
        public RecipeException recipeError() {
            return (RecipeException) getCause();
        }
    }
}
