package org.sealpost.signing.dkim2;

import java.util.List;
import java.util.Optional;
import org.sealpost.signing.dkim.HeaderField;

/**
 * The seam where the recipe engine plugs into the verifier (-06 5, 10.2): given version m of the
 * message (its header fields, and its body as a stream), recreate version m-1 from the recipes in
 * Message-Instance m. The verifier calls it newest first, once the header section is in, and pipes
 * the body through the stages it gets back, hashing each version against its Message-Instance.
 * Without an engine ({@link #NONE}) the earlier instances are reported as not checked.
 */
public interface EarlierVersions {

    /** No recipe engine: earlier instances are not recreated, and the result says so. */
    EarlierVersions NONE = (instance, headers) -> {
        throw new UnsupportedOperationException("no recipe engine");
    };

    /**
     * The stage that recreates version m-1 from version m, whose Message-Instance is
     * {@code instance}; empty when its recipe says the earlier body cannot be recreated (-06 5.2,
     * "b": null).
     *
     * @throws Dkim2PermanentError when the recipe is not valid JSON or not a valid recipe (-06 11.2)
     */
    Optional<Stage> recreate(MessageInstance instance, List<HeaderField> headers) throws Dkim2PermanentError;

    /** Version m-1: its header fields, and a pipe that turns body octets of version m into those of m-1. */
    interface Stage {
        List<HeaderField> headers();

        /** Wraps {@code earlier}, which receives the body of version m-1, into a sink for the body of version m. */
        BodySink body(BodySink earlier);

        /**
         * What changed from version m-1 to version m, one line per header field or MIME part
         * ("changed header subject", "removed part 2 application/pdf"), once the body has ended.
         */
        default List<String> changes() {
            return List.of();
        }
    }

    /** Body octets of one version, in order; {@link #finish} after the last. */
    interface BodySink {
        void write(byte[] data, int offset, int length);

        void finish();
    }
}
