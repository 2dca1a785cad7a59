package org.sealpost.transport.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.DkimSigner;
import org.sealpost.signing.dkim.DkimVerifier;
import org.sealpost.signing.dkim.GeneratedKey;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.signing.dkim.SigningKey;
import org.sealpost.transport.smtp.server.MessageFilter;

/** Verification on the mx path: one recorded result per signature, "dkim=none" without any. */
class DkimVerifyingTest {

    @Test
    void results_areRecordedInRfc8601Form_withTheKeysDnssecStatus() throws Exception {
        GeneratedKey key = DkimKeys.generate(KeyType.ED25519, 0);
        StaticTxt dns = new StaticTxt(Map.of("s1._domainkey.example.net", key.txtRecord()));
        String message = "From: a@example.net\r\nSubject: x\r\n\r\nbody\r\n";
        String signed = new DkimSigner(SigningKey.of("example.net", "s1", key.privateKey()))
                .sign(message.getBytes(StandardCharsets.UTF_8)) + message;
        DkimVerifying verifying = new DkimVerifying(new DkimVerifier(dns));

        List<String> results = run(verifying, signed);
        assertEquals(1, results.size());
        assertTrue(results.get(0).startsWith("dkim=pass header.d=example.net header.s=s1 header.a=ed25519-sha256"),
                results.get(0));
        assertTrue(results.get(0).contains("SECURE"), results.get(0));
        assertTrue(run(verifying, signed.replace("body", "bodY")).get(0).startsWith("dkim=fail"));
        assertEquals(List.of("dkim=none"), run(verifying, message));
    }

    private static List<String> run(DkimVerifying verifying, String message) {
        MessageFilter.Run run = verifying.start("Q1", null, "");
        byte[] octets = message.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < octets.length; i += 5) {
            run.accept(ByteBuffer.wrap(octets, i, Math.min(5, octets.length - i)));
        }
        MessageFilter.Outcome outcome = run.finish().join();
        return outcome.additions().results();
    }
}
