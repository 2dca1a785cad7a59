package org.sealpost.transport.publishing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.sealpost.transport.config.Config;

/**
 * Our MTA-STS policy file (RFC 8461 3.2) and the records that announce it. The policy's id is
 * taken from a hash of the file, so that it changes exactly when the policy does: the TXT record
 * printed by `sealpost dns records` then carries a new id, and senders fetch the new policy
 * (RFC 8461 3.1 asks for a new id with every change).
 */
public final class PolicyFile {

    /** Where senders fetch the policy (RFC 8461 3.3). */
    public static final String PATH = "/.well-known/mta-sts.txt";

    private final String text;
    private final String id;

    private PolicyFile(String text) {
        this.text = text;
        this.id = id(text);
    }

    /** The policy that {@code publishing} describes: the same file for each of its domains. */
    public static PolicyFile of(Config.Publishing publishing) {
        StringBuilder text = new StringBuilder("version: STSv1\r\nmode: ").append(publishing.mode()).append("\r\n");
        for (String mx : publishing.mx()) {
            text.append("mx: ").append(mx).append("\r\n");
        }
        // RFC 8461 3.2: the file's lines end in CRLF (a lone LF is accepted by readers, CRLF by all).
        text.append("max_age: ").append(publishing.maxAge().toSeconds()).append("\r\n");
        return new PolicyFile(text.toString());
    }

    /**
     * The mx entries that are no MX host name (the default, the relay's hostname, may be
     * localhost): senders match no MX against them, so an enforce policy would stop all mail.
     */
    public static List<String> unusableMx(Config.Publishing publishing) {
        return publishing.mx().stream().filter(mx -> !isMxPattern(mx)).toList();
    }

    /**
     * Whether {@code mx} (lower case) is an mx pattern of a policy: RFC 8461 3.2's ["*."] Domain,
     * the wildcard only as the whole first label, a name of two labels at least.
     */
    public static boolean isMxPattern(String mx) {
        return mx.matches("(\\*\\.)?[a-z0-9-]+(\\.[a-z0-9-]+)+");
    }

    /** The file as served, lines ending in CRLF. */
    public String text() {
        return text;
    }

    public byte[] bytes() {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The id of the {@code _mta-sts} record: 20 hex digits of the file's SHA-256 (RFC 8461 3.1 allows 1 to 32 letters and digits). */
    public String id() {
        return id;
    }

    /** The lines of the file, without their line ends. */
    public List<String> lines() {
        return List.of(text.split("\r\n"));
    }

    /** The TXT record at {@code _mta-sts.DOMAIN} (RFC 8461 3.1). */
    public String txtRecord() {
        return "v=STSv1; id=" + id;
    }

    /** The name senders fetch the policy from for {@code domain}, whose certificate must name it (RFC 8461 3.3). */
    public static String policyHost(String domain) {
        return "mta-sts." + domain;
    }

    private static String id(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest).substring(0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
