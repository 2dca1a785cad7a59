package org.sealpost.signing.spf;

import java.net.Inet4Address;
import java.net.InetAddress;

/** The values of the macro letters for one evaluation step (RFC 7208 7.2). */
record MacroValues(String sender, String domain, InetAddress ip, String helo, String validatedName,
        String receiver, long epochSeconds) {

    String value(char letter) {
        return switch (letter) {
            case 's' -> sender;
            case 'l' -> sender.substring(0, sender.lastIndexOf('@'));
            case 'o' -> sender.substring(sender.lastIndexOf('@') + 1);
            case 'd' -> domain;
            case 'i' -> Addresses.dotted(ip);
            case 'p' -> validatedName;
            case 'v' -> ip instanceof Inet4Address ? "in-addr" : "ip6";
            case 'h' -> helo;
            case 'c' -> Addresses.readable(ip);
            case 'r' -> receiver;
            case 't' -> Long.toString(epochSeconds);
            default -> throw new IllegalArgumentException("no macro letter " + letter);
        };
    }
}
