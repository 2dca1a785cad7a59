package org.sealpost.signing.dkim;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A message as a signer reads it while it streams (CRLF line ends): the header fields are kept,
 * the body is only hashed. Shared by DKIM signing and ARC sealing, which put fields of their own
 * on top of what they read.
 */
public final class SignerInput {

    private final MessageReader reader;
    private final BodyHash body;
    private final String verb;
    private List<HeaderField> fields = List.of();
    private String headerError;
    private BodyHash.Result hash;

    /** @param verb what the signer does, for its errors: "sign", "seal" */
    public SignerInput(SignerOptions options, String verb) {
        this.verb = verb;
        this.body = new BodyHash(options.bodyCanonicalization(), "SHA-256", -1);
        this.reader = new MessageReader(new MessageReader.Listener() {
            @Override
            public void headers(List<HeaderField> headerFields) {
                fields = List.copyOf(headerFields);
            }

            @Override
            public void body(byte[] data, int offset, int length) {
                body.update(data, offset, length);
            }

            @Override
            public void headersTooLarge(int limit) {
                headerError = "the header section is longer than " + limit + " octets";
            }
        }, options.maxHeaderBytes());
    }

    public void update(byte[] data, int offset, int length) {
        checkOpen();
        reader.feed(data, offset, length);
    }

    /** Reads the buffer's remaining octets, heap or direct, and leaves it at its limit. */
    public void update(ByteBuffer buffer) {
        checkOpen();
        reader.feed(buffer);
    }

    /**
     * Ends the message and returns its header fields; {@link #bodyHash} is ready then.
     *
     * @throws IllegalArgumentException when fields cannot go on top of it: the header section was
     *     too large, or its first line is folded
     */
    public List<HeaderField> finish() {
        checkOpen();
        reader.finish();
        hash = body.finish();
        if (headerError != null) {
            throw new IllegalArgumentException("cannot " + verb + ": " + headerError);
        }
        if (!fields.isEmpty() && (fields.get(0).raw().startsWith(" ") || fields.get(0).raw().startsWith("\t"))) {
            // RFC 5322 2.2.3: a line starting with WSP continues the field above it; put on top of this
            // message, our field would take the line in as part of its b= value.
            throw new IllegalArgumentException("cannot " + verb + ": the header section starts with a folded (whitespace) line");
        }
        return fields;
    }

    /** The body hash (relaxed or simple as the options say), once {@link #finish} has run. */
    public BodyHash.Result bodyHash() {
        if (hash == null) {
            throw new IllegalStateException("the message has not been finished");
        }
        return hash;
    }

    private void checkOpen() {
        if (hash != null) {
            throw new IllegalStateException(verb + "ing already finished");
        }
    }
}
