package org.sealpost.transport.queue;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the session learned of a message only at its end and stores with it: header fields to put
 * before the content when it is delivered (the DKIM-Signature of the submission path, each field
 * complete with its CRLF), and results kept for later steps (the DKIM results of the mx path, in
 * RFC 8601 form).
 */
public record Additions(List<String> prepend, List<String> results) {

    public static final Additions NONE = new Additions(List.of(), List.of());

    public Additions {
        prepend = List.copyOf(prepend);
        results = List.copyOf(results);
        for (String field : prepend) {
            if (!field.endsWith("\r\n") || field.indexOf(':') <= 0) {
                throw new IllegalArgumentException("a prepended header field is 'Name: value' ending in CRLF");
            }
        }
    }

    /** The octets of the prepended fields, as they go out before the content. */
    byte[] prependOctets() {
        return String.join("", prepend).getBytes(StandardCharsets.UTF_8);
    }
}
