package org.sealpost.signing.dkim2;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.FakeDns;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.SigningKey;

/**
 * Test chains: hop N of a path signs as hopN.example, sends from bounce@mail.hopN.example to
 * user@hopN+1.example (the last hop to user@final.example), with keys generated once per run and
 * published in a {@link FakeDns}; the clock is fixed.
 */
final class Hops {

    static final long NOW = 1_767_225_600L; // 2026-01-01T00:00:00Z
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

    static final GeneratedKey RSA;
    static final GeneratedKey ED25519;
    static final KeyPair MLDSA;

    static {
        try {
            RSA = DkimKeys.generate(KeyType.RSA, 2048);
            ED25519 = DkimKeys.generate(KeyType.ED25519, 0);
            MLDSA = Dkim2Keys.generateMlDsa44();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Which keys each hop signs with. */
    enum Keys { RSA, ED25519, ED25519_MLDSA, RSA_MLDSA, RSA_ED25519 }

    static final String MESSAGE = "From: Alice <alice@hop1.example>\r\nTo: bob@final.example\r\nSubject: Lunch\r\n"
            + "Date: Thu, 01 Jan 2026 00:00:00 +0000\r\nMessage-ID: <1@hop1.example>\r\nX-Mailer: test\r\n"
            + "Received: from a by b\r\n\r\nShall we meet at noon?\r\n\r\n-- \r\nAlice\r\n\r\n\r\n";

    private Hops() {
    }

    static String domain(int hop) {
        return "hop" + hop + ".example";
    }

    static Dkim2Envelope envelope(int hop, int hops) {
        return Dkim2Envelope.of("bounce@mail." + domain(hop), hop == hops ? "user@final.example" : "user@" + domain(hop + 1));
    }

    static List<Dkim2Key> keys(int hop, Keys keys) {
        List<Dkim2Key> out = new ArrayList<>();
        String d = domain(hop);
        if (keys == Keys.RSA || keys == Keys.RSA_MLDSA || keys == Keys.RSA_ED25519) {
            out.add(Dkim2Key.of(new SigningKey(d, "rsa", KeyType.RSA, RSA.privateKey())));
        }
        if (keys == Keys.ED25519 || keys == Keys.ED25519_MLDSA || keys == Keys.RSA_ED25519) {
            out.add(Dkim2Key.of(new SigningKey(d, "ed", KeyType.ED25519, ED25519.privateKey())));
        }
        if (keys == Keys.ED25519_MLDSA || keys == Keys.RSA_MLDSA) {
            out.add(Dkim2Key.mlDsa44(d, "pq", MLDSA.getPrivate()));
        }
        return out;
    }

    /** Every hop's keys, published INSECURE (hop 2 SECURE, to see the status kept). */
    static FakeDns dns(int hops) {
        FakeDns dns = new FakeDns();
        for (int hop = 1; hop <= hops + 1; hop++) {
            String d = domain(hop);
            String rsa = RSA.txtRecord();
            String ed = ED25519.txtRecord();
            String pq = Dkim2Keys.mlDsa44Record(MLDSA.getPublic());
            if (hop == 2) {
                dns.secureTxt("rsa._domainkey." + d, rsa).secureTxt("ed._domainkey." + d, ed).secureTxt("pq._domainkey." + d, pq);
            } else {
                dns.txt("rsa._domainkey." + d, rsa).txt("ed._domainkey." + d, ed).txt("pq._domainkey." + d, pq);
            }
        }
        return dns;
    }

    /** Signs {@code message} once at {@code hop} of a path of {@code hops}, and returns the message with the new fields on top. */
    static String sign(String message, int hop, int hops, Keys keys, Dkim2SignOptions extra) throws Dkim2Refusal {
        Dkim2Signer signer = new Dkim2Signer(keys(hop, keys), CLOCK);
        Dkim2SignOptions options = extra != null ? extra : Dkim2SignOptions.forEnvelope(envelope(hop, hops));
        return signer.sign(bytes(message), options.withTimestamp(NOW - 600 + hop * 60L)) + message;
    }

    /** The message as it arrives after {@code hops} hops, each signing without changes. */
    static String chain(int hops, Keys keys) throws Dkim2Refusal {
        return chain(hops, hops, keys);
    }

    /** The message after the first {@code signed} hops of a path of {@code hops}. */
    static String chain(int signed, int hops, Keys keys) throws Dkim2Refusal {
        String message = MESSAGE;
        for (int hop = 1; hop <= signed; hop++) {
            message = sign(message, hop, hops, keys, null);
        }
        return message;
    }

    static Dkim2Result verify(String message, Dkim2Envelope envelope, FakeDns dns) {
        return verify(message, envelope, dns, Dkim2VerifierOptions.defaults().withClock(CLOCK));
    }

    static Dkim2Result verify(String message, Dkim2Envelope envelope, FakeDns dns, Dkim2VerifierOptions options) {
        return new Dkim2Verifier(dns, options).verify(bytes(message), envelope).join();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
