package org.sealpost.transport.smtp.client;

import java.net.InetAddress;

/** One address to try: the MX host name (for SNI, logs and policy checks), its address and the port. */
record Target(String host, InetAddress address, int port) {

    /** "mx.example.net[192.0.2.7]", as Postfix names a peer it lost or that timed out. */
    String hostAddress() {
        return host + "[" + address.getHostAddress() + "]";
    }

    /** "mx.example.net[192.0.2.7]:25", as Postfix names a peer it connects to. */
    @Override
    public String toString() {
        return host + "[" + address.getHostAddress() + "]:" + port;
    }
}
