package org.sealpost.transport.smtp.client;

/**
 * A static next hop, as in Postfix's transport maps and relayhost: "[host]:port" delivers to that
 * host without an MX lookup; "host:port" looks up the MX records of host first.
 */
public record Route(String host, int port, boolean mxLookup) {

    /** Parses "[host]:port", "[host]", "host:port" or "host"; the port defaults to 25. */
    public static Route parse(String text) {
        String value = text.trim();
        boolean bracketed = value.startsWith("[");
        String host;
        String rest;
        if (bracketed) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' opens '[' but does not close it");
            }
            host = value.substring(1, close);
            rest = value.substring(close + 1);
        } else {
            int colon = value.lastIndexOf(':');
            host = colon < 0 ? value : value.substring(0, colon);
            rest = colon < 0 ? "" : value.substring(colon);
        }
        int port = 25;
        if (!rest.isEmpty()) {
            if (!rest.matches(":[0-9]{1,5}")) {
                throw new IllegalArgumentException("'" + text + "' is not [host]:port or host:port");
            }
            port = Integer.parseInt(rest.substring(1));
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "' is not [host]:port or host:port");
        }
        return new Route(host, port, !bracketed);
    }

    @Override
    public String toString() {
        return (mxLookup ? host : "[" + host + "]") + ":" + port;
    }
}
