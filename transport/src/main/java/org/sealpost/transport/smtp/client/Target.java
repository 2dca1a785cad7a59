package org.sealpost.transport.smtp.client;

import java.net.InetAddress;

/** One address to try: the MX host name (for SNI, logs and policy checks), its address and the port. */
record Target(String host, InetAddress address, int port) {

    @Override
    public String toString() {
        return host + "[" + address.getHostAddress() + "]:" + port;
    }
}
