package org.sealpost.signing.spf;

/** A record, term or macro string that RFC 7208's grammar does not allow: a permerror (4.6). */
final class SyntaxError extends Exception {

    SyntaxError(String message) {
        super(message, null, false, false);
    }
}
