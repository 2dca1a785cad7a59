package org.sealpost.transport.smtp.client;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.sealpost.transport.queue.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names the original client of mail an mx listener received to the next hop that takes it over
 * (docs/postfix.md): XCLIENT where the next hop offers it, so that its own access checks see that
 * client instead of our loopback address; else XFORWARD, so that at least its log does. Both are
 * Postfix extensions (XCLIENT_README, XFORWARD_README); a next hop offers them only to the clients
 * it authorizes (smtpd_authorized_xclient_hosts, smtpd_authorized_xforward_hosts).
 */
final class OriginForwarding {

    private static final Logger LOG = LoggerFactory.getLogger(OriginForwarding.class);

    /** What was forwarded, for the delivery log line: "" when nothing was. */
    record Forwarded(String how, boolean sessionChanged) {
        static final Forwarded NONE = new Forwarded("", false);
    }

    private OriginForwarding() {
    }

    /**
     * XCLIENT (then a new greeting and EHLO, XCLIENT_README: the session starts over) or XFORWARD
     * on a ready connection, before MAIL. A refusal leaves the session as it was: the message goes
     * on without, and the log says so.
     */
    static CompletableFuture<Forwarded> forward(ClientSettings settings, SmtpConnection connection,
            Envelope.ClientInfo client, String queueId) {
        SmtpReply ehlo = connection.ehloReply();
        String who = (client.name().isEmpty() || client.name().startsWith("[") ? "unknown" : client.name()) + "[" + client.address() + "]:" + client.port();
        if (ehlo.hasKeyword("XCLIENT")) {
            String command = "XCLIENT " + String.join(" ", xclient(client, offered(ehlo.keywordValue("XCLIENT"))));
            return connection.send(command, settings.commandTimeout(), true).thenCompose(reply -> {
                if (reply.code() != 220) {
                    LOG.info("{}: warning: {} refused XCLIENT: {}", queueId, connection.target(), reply.text());
                    return CompletableFuture.completedFuture(Forwarded.NONE);
                }
                // The greeting came in place of a reply; EHLO again, with the client's own name as
                // XCLIENT_README's example does: the next hop takes the EHLO argument as its HELO name.
                return connection.send("EHLO " + ehloName(settings, client), settings.commandTimeout(), true).thenCompose(again -> {
                    if (again.code() != 250) {
                        return CompletableFuture.failedFuture(new SmtpConnection.ConnectionException("host "
                                + connection.target() + " refused EHLO after XCLIENT: " + again.text()));
                    }
                    connection.ehlo(again);
                    return CompletableFuture.completedFuture(new Forwarded("xclient (" + who + ")", true));
                });
            });
        }
        if (ehlo.hasKeyword("XFORWARD")) {
            List<String> commands = xforward(client, queueId, offered(ehlo.keywordValue("XFORWARD")));
            CompletableFuture<Boolean> all = CompletableFuture.completedFuture(true);
            for (String command : commands) {
                all = all.thenCompose(ok -> !ok ? CompletableFuture.completedFuture(false)
                        : connection.send(command, settings.commandTimeout(), true).thenApply(reply -> {
                            if (reply.code() != 250) {
                                LOG.info("{}: warning: {} refused XFORWARD: {}", queueId, connection.target(), reply.text());
                            }
                            return reply.code() == 250;
                        }));
            }
            return all.thenApply(ok -> ok ? new Forwarded("xforward (" + who + ")", false) : Forwarded.NONE);
        }
        return CompletableFuture.completedFuture(Forwarded.NONE);
    }

    /** The original HELO name when it is one printable word; else our own. */
    static String ehloName(ClientSettings settings, Envelope.ClientInfo client) {
        return client.heloName().matches("[!-~]{1,255}") ? client.heloName() : settings.hostname();
    }

    private static Set<String> offered(String keywords) {
        return java.util.Arrays.stream(keywords.trim().split("\\s+")).map(w -> w.toUpperCase(Locale.ROOT))
                .collect(Collectors.toSet());
    }

    /** The XCLIENT attributes the next hop offers, in Postfix's order; values xtext-encoded. */
    static List<String> xclient(Envelope.ClientInfo client, Set<String> offered) {
        List<String> attributes = new ArrayList<>();
        add(attributes, offered, "NAME", client.name().isEmpty() ? "[UNAVAILABLE]" : client.name());
        add(attributes, offered, "ADDR", address(client.address()));
        add(attributes, offered, "PORT", Integer.toString(client.port()));
        add(attributes, offered, "PROTO", protocol(client.protocol()));
        add(attributes, offered, "HELO", client.heloName().isEmpty() ? "[UNAVAILABLE]" : client.heloName());
        return attributes;
    }

    /**
     * The XFORWARD commands: as Postfix's own SMTP client, the client's name and address in one,
     * protocol, HELO, the queue id (logged as orig_queue_id) and the source in the other, so that
     * each stays short.
     */
    static List<String> xforward(Envelope.ClientInfo client, String queueId, Set<String> offered) {
        List<String> first = new ArrayList<>();
        // XFORWARD_README knows [UNAVAILABLE] only: a name DNS could not find now is unavailable too.
        add(first, offered, "NAME", client.name().isEmpty() || client.name().startsWith("[") ? "[UNAVAILABLE]"
                : client.name());
        add(first, offered, "ADDR", address(client.address()));
        add(first, offered, "PORT", Integer.toString(client.port()));
        List<String> second = new ArrayList<>();
        add(second, offered, "PROTO", protocol(client.protocol()));
        add(second, offered, "HELO", client.heloName().isEmpty() ? "[UNAVAILABLE]" : client.heloName());
        add(second, offered, "IDENT", queueId);
        add(second, offered, "SOURCE", "REMOTE");
        List<String> commands = new ArrayList<>();
        for (List<String> part : List.of(first, second)) {
            if (!part.isEmpty()) {
                commands.add("XFORWARD " + String.join(" ", part));
            }
        }
        return commands;
    }

    private static void add(List<String> attributes, Set<String> offered, String name, String value) {
        if (offered.contains(name)) {
            attributes.add(name + "=" + xtext(value));
        }
    }

    /** Postfix takes SMTP or ESMTP as PROTO; the RFC 3848 variants (ESMTPS, ESMTPA) are ESMTP. */
    static String protocol(String received) {
        return received.toUpperCase(Locale.ROOT).startsWith("ESMTP") ? "ESMTP" : "SMTP";
    }

    /** XCLIENT_README: an IPv6 address carries the "IPV6:" prefix. */
    static String address(String text) {
        try {
            InetAddress address = InetAddress.getByName(text);
            return address instanceof Inet6Address ? "IPV6:" + address.getHostAddress().replaceFirst("%.*$", "") : text;
        } catch (java.net.UnknownHostException e) {
            return text;
        }
    }

    /** RFC 3461 4: "!" to "~" except "+" and "=" as they are, every other octet "+XX". */
    static String xtext(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= '!' && c <= '~' && c != '+' && c != '=') {
                out.append((char) c);
            } else {
                out.append('+').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
