package org.sealpost.transport.smtp.server;

import io.netty.buffer.ByteBuf;

/** What the decoder hands to the session: command lines, content, and the ends of content. */
sealed interface SmtpInput {

    /** A command line without its line end. */
    record Command(String line) implements SmtpInput {
    }

    /** A command line longer than the limit; its text is discarded. */
    record CommandTooLong() implements SmtpInput {
    }

    /** A command line that is not well-formed UTF-8 (RFC 3629); its text is discarded. */
    record CommandNotUtf8() implements SmtpInput {
    }

    /** Message content, dot-stuffing removed; the receiver releases it. */
    record Content(ByteBuf bytes) implements SmtpInput {
    }

    /** The CRLF.CRLF that ends DATA, or the last octet of a BDAT chunk. */
    record ContentEnd() implements SmtpInput {
    }
}
