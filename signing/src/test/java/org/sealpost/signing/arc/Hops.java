package org.sealpost.signing.arc;

import java.nio.charset.StandardCharsets;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.FakeDns;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.SigningKey;

/** Test sealers (forwarder.example RSA, list.example Ed25519, relay.example RSA), their keys in a FakeDns, and a message. */
final class Hops {

    static final GeneratedKey RSA;
    static final GeneratedKey ED25519;

    static {
        try {
            RSA = DkimKeys.generate(KeyType.RSA, 2048);
            ED25519 = DkimKeys.generate(KeyType.ED25519, 0);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final String MESSAGE = "From: Alice <alice@origin.example>\r\n"
            + "To: list@list.example\r\n"
            + "Subject: hello\r\n"
            + "Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n"
            + "Message-ID: <1@origin.example>\r\n"
            + "\r\n"
            + "Hello,\r\n"
            + "this is the body.\r\n";

    private Hops() {
    }

    static SigningKey forwarder() {
        return new SigningKey("forwarder.example", "arc", KeyType.RSA, RSA.privateKey());
    }

    static SigningKey list() {
        return new SigningKey("list.example", "ed", KeyType.ED25519, ED25519.privateKey());
    }

    static SigningKey relay() {
        return new SigningKey("relay.example", "arc", KeyType.RSA, RSA.privateKey());
    }

    static FakeDns dns() {
        return new FakeDns().txt("arc._domainkey.forwarder.example", RSA.txtRecord())
                .secureTxt("ed._domainkey.list.example", ED25519.txtRecord())
                .txt("arc._domainkey.relay.example", RSA.txtRecord());
    }

    static ArcResult verify(String message) {
        return new ArcVerifier(dns()).verify(bytes(message)).join();
    }

    /** Validates the message as it is, then puts the key's set on top, with A-R from {@code authservId}. */
    static String seal(String message, SigningKey key, String results) {
        ArcResult chain = verify(message);
        String ar = key.domain() + "; " + results + "; " + chain.toAuthenticationResults();
        return new ArcSealer(key).seal(bytes(message), chain, ar) + message;
    }

    static byte[] bytes(String message) {
        return message.getBytes(StandardCharsets.ISO_8859_1);
    }
}
