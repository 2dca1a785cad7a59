package org.sealpost.signing.spf;

import java.net.InetAddress;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * Checks whether a client may send mail for a domain: RFC 7208's check_host(), over asynchronous
 * lookups. Safe to share between threads; each check has its own state.
 */
public final class SpfChecker {

    private final SpfDns dns;
    private final String receiver;
    private final Clock clock;

    /**
     * @param receiver this host's name, for %{r} in explanations (RFC 7208 7.2)
     */
    public SpfChecker(SpfDns dns, String receiver, Clock clock) {
        this.dns = dns;
        this.receiver = receiver == null || receiver.isEmpty() ? "unknown" : receiver;
        this.clock = clock;
    }

    /**
     * The check an MX makes at MAIL FROM: the MAIL FROM identity, or for the null sender ("") the
     * HELO identity as postmaster@HELO (RFC 7208 2.3, 2.4).
     */
    public CompletableFuture<SpfVerdict> check(InetAddress client, String helo, String mailFrom) {
        String sender = mailFrom == null || mailFrom.isEmpty() ? "postmaster@" + helo : mailFrom;
        return checkHost(client, domainOf(sender), sender, helo);
    }

    /**
     * check_host(ip, domain, sender) (RFC 7208 4) with the HELO name for %{h}. A sender without a
     * local part is taken as postmaster at its domain (4.3).
     */
    public CompletableFuture<SpfVerdict> checkHost(InetAddress client, String domain, String sender, String helo) {
        String full = sender.indexOf('@') < 0 ? "postmaster@" + sender
                : sender.startsWith("@") ? "postmaster" + sender : sender;
        String name = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        return new Evaluation(dns, Addresses.client(client), full, helo == null ? "" : helo, receiver,
                clock.instant().getEpochSecond()).run(name);
    }

    private static String domainOf(String sender) {
        return sender.substring(sender.lastIndexOf('@') + 1);
    }

    /**
     * RFC 7208 4.3: why a name is not a domain to check (then the result is none), or null. A
     * domain is a fully qualified name of labels of 1 to 63 octets, at most 253 in all; an address
     * literal such as [192.0.2.1] is not one.
     */
    static String domainProblem(String domain) {
        String name = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        if (name.isEmpty()) {
            return "no domain to check";
        }
        if (name.startsWith("[")) {
            return "'" + domain + "' is an address literal, not a domain";
        }
        if (!name.contains(".")) {
            return "'" + domain + "' is not a fully qualified domain name";
        }
        if (name.length() > 253) {
            return "'" + domain + "' is longer than 253 characters";
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return "'" + domain + "' has a label that is empty or longer than 63 characters";
            }
        }
        return null;
    }
}
