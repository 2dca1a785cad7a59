package org.sealpost.transport.cli;

import java.io.IOException;
import java.net.InetAddress;
import picocli.CommandLine.Option;

/**
 * The SMTP client a check is made for, as an mx listener would see it: its address, its HELO name
 * and its MAIL FROM. A picocli mixin, shared by {@code sealpost spf check} and {@code sealpost auth check}.
 */
final class ClientIdentity {

    @Option(names = "--client-ip", required = true, paramLabel = "IP", description = "the SMTP client's address")
    String clientIp;

    @Option(names = "--helo", required = true, paramLabel = "NAME", description = "the name the client gave in HELO/EHLO")
    String helo;

    @Option(names = "--mail-from", required = true, paramLabel = "ADDRESS",
            description = "the MAIL FROM address, without angle brackets; '' for the null sender")
    String mailFrom;

    /** What is wrong with the options, worded for the user, or null when they are usable. */
    String problem() {
        if (address() == null) {
            return "--client-ip is an IPv4 or IPv6 address such as 192.0.2.1 or 2001:db8::1, not '" + clientIp + "'";
        }
        if (helo.isBlank()) {
            return "--helo is the client's HELO name, such as mail.example.com; it may not be empty";
        }
        if (!mailFrom.isEmpty() && mailFrom.indexOf('@') < 0) {
            return "--mail-from is an address such as alice@example.com, or '' for the null sender, not '" + mailFrom + "'";
        }
        return null;
    }

    /** The client's address: an address literal, never a name to look up; null when it is not one. */
    InetAddress address() {
        boolean v4 = clientIp.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = clientIp.contains(":") && clientIp.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(clientIp);
        } catch (IOException e) {
            return null;
        }
    }
}
