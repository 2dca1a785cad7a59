package org.sealpost.signing.dkim2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sealpost.dnssec.Security;
import org.sealpost.signing.dkim.FakeDns;
import org.sealpost.signing.dkim.HeaderField;

/** Chains of 1 to 4 hops signed by {@link Dkim2Signer} and verified by {@link Dkim2Verifier}, whole and streamed. */
class Dkim2RoundTripTest {

    static Stream<Arguments> chains() {
        return Stream.of(Hops.Keys.values()).flatMap(keys -> Stream.of(1, 2, 3, 4).map(n -> Arguments.of(n, keys)));
    }

    @ParameterizedTest(name = "{0} hops, {1}")
    @MethodSource("chains")
    void chainWithoutChanges_passesEveryHop(int hops, Hops.Keys keys) throws Exception {
        String message = Hops.chain(hops, keys);
        Dkim2Result result = Hops.verify(message, Hops.envelope(hops, hops), Hops.dns(hops));

        assertEquals(Dkim2Verdict.PASS, result.verdict(), result::toString);
        assertEquals(hops, result.hops().size());
        for (int k = 0; k < hops; k++) {
            Dkim2Result.Hop hop = result.hops().get(k);
            assertEquals(k + 1, hop.i());
            assertEquals(Hops.domain(k + 1), hop.domain());
            assertEquals(Optional.of("<bounce@mail." + Hops.domain(k + 1) + ">"), hop.mailFrom());
            assertEquals(Dkim2Verdict.PASS, hop.verdict(), hop::toString);
            assertEquals(Hops.keys(k + 1, keys).size(), hop.sigSets().size());
            assertTrue(hop.sigSets().stream().allMatch(s -> s.verdict() == Dkim2Verdict.PASS), hop::toString);
        }
        assertEquals(List.of(new Dkim2Result.Instance(1, Dkim2Result.Check.PASS, "")), result.instances());
        assertEquals("", result.reason());
    }

    @Test
    void hybrid_checksTheMlDsaSigSetAndReportsIt() throws Exception {
        String message = Hops.chain(2, Hops.Keys.ED25519_MLDSA);
        Dkim2Result result = Hops.verify(message, Hops.envelope(2, 2), Hops.dns(2));

        Dkim2Result.SigSetResult pq = result.hops().get(0).sigSets().get(1);
        assertEquals(Dkim2Wire.MLDSA44, pq.algorithm());
        assertEquals(Dkim2Verdict.PASS, pq.verdict());
        assertTrue(message.contains("pq:mldsa44:"), "the sig-set is written as selector:mldsa44:signature");
    }

    @Test
    void keyStatus_isKeptPerSigSet() throws Exception {
        String message = Hops.chain(2, Hops.Keys.ED25519);
        Dkim2Result result = Hops.verify(message, Hops.envelope(2, 2), Hops.dns(2));

        assertEquals(Optional.of(Security.INSECURE), result.hops().get(0).sigSets().get(0).keySecurity());
        assertEquals(Optional.of(Security.SECURE), result.hops().get(1).sigSets().get(0).keySecurity());
    }

    @Test
    void messageFedInSmallPieces_givesTheSameResult() throws Exception {
        String message = Hops.chain(3, Hops.Keys.RSA_ED25519);
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        Dkim2Verification verification = new Dkim2Verifier(Hops.dns(3), Dkim2VerifierOptions.defaults()
                .withClock(Hops.CLOCK)).start(Hops.envelope(3, 3));
        for (int k = 0; k < bytes.length; k += 7) {
            verification.update(bytes, k, Math.min(7, bytes.length - k));
        }
        Dkim2Result streamed = verification.finish().join();

        assertEquals(Hops.verify(message, Hops.envelope(3, 3), Hops.dns(3)), streamed);
        assertEquals(Dkim2Verdict.PASS, streamed.verdict());
    }

    @Test
    void firstHop_addsMessageInstanceOneAndSignatureOne() throws Exception {
        String fields = new Dkim2Signer(Hops.keys(1, Hops.Keys.ED25519), Hops.CLOCK)
                .sign(Hops.bytes(Hops.MESSAGE), Dkim2SignOptions.forEnvelope(Hops.envelope(1, 1)));
        String[] lines = fields.split("\r\n(?![ \t])");

        assertEquals(2, lines.length, fields);
        MessageInstance mi = Dkim2Wire.parseInstance(HeaderField.of(lines[0]));
        Dkim2Signature sig = Dkim2Wire.parseSignature(HeaderField.of(lines[1]));
        assertEquals(1, mi.m());
        assertEquals(Optional.empty(), mi.recipe());
        assertEquals(1, sig.i());
        assertEquals(1, sig.m());
        assertEquals(Hops.NOW, sig.timestamp());
        assertEquals(List.of("<user@final.example>"), sig.rcptTo());
    }

    @Test
    void laterHopWithoutChanges_addsOnlyASignature() throws Exception {
        String once = Hops.chain(1, 2, Hops.Keys.ED25519);
        String fields = new Dkim2Signer(Hops.keys(2, Hops.Keys.ED25519), Hops.CLOCK)
                .sign(Hops.bytes(once), Dkim2SignOptions.forEnvelope(Hops.envelope(2, 2)));

        assertTrue(fields.startsWith(Dkim2Wire.SIGNATURE_FIELD + ": i=2;\r\n\tm=1;"), fields);
        assertEquals(1, fields.split("\r\n(?![ \t])").length);
    }

    @Test
    void revisingHop_addsAnInstanceWithTheRecipe_andEarlierInstancesAreReportedNotChecked() throws Exception {
        String once = Hops.chain(1, 2, Hops.Keys.ED25519);
        String changed = once.replace("Subject: Lunch", "Subject: [list] Lunch");
        String recipe = "{\"h\":{\"subject\":[{\"d\":[\" Lunch\"]}]}}";
        String twice = Hops.sign(changed, 2, 2, Hops.Keys.ED25519,
                Dkim2SignOptions.forEnvelope(Hops.envelope(2, 2)).withRecipe(recipe));

        Dkim2Result result = Hops.verify(twice, Hops.envelope(2, 2), Hops.dns(2));

        assertEquals(Dkim2Verdict.PASS, result.verdict(), result::toString);
        assertEquals(2, result.hops().get(1).m());
        assertEquals(Dkim2Result.Check.NOT_CHECKED, result.instances().get(0).check());
        assertEquals(Dkim2Result.Check.PASS, result.instances().get(1).check());
        assertTrue(result.reason().contains("not recreated"), result.reason());
        MessageInstance mi2 = Dkim2Wire.parseInstance(HeaderField.of(twice.substring(0, twice.indexOf("\r\nDKIM2-Signature"))));
        assertEquals(Optional.of(recipe), mi2.recipe());
    }

    @Test
    void recipeEngineSeam_recreatesTheEarlierVersionAndItsHashesAreChecked() throws Exception {
        String once = Hops.chain(1, 2, Hops.Keys.ED25519);
        String changed = once.replace("Subject: Lunch", "Subject: [list] Lunch");
        String twice = Hops.sign(changed, 2, 2, Hops.Keys.ED25519,
                Dkim2SignOptions.forEnvelope(Hops.envelope(2, 2)).withRecipe("{\"h\":{\"subject\":[{\"d\":[\" Lunch\"]}]}}"));

        Dkim2Result good = Hops.verify(twice, Hops.envelope(2, 2), Hops.dns(2), Dkim2VerifierOptions.defaults()
                .withClock(Hops.CLOCK).withEarlierVersions(new SubjectBack(" Lunch")));
        Dkim2Result bad = Hops.verify(twice, Hops.envelope(2, 2), Hops.dns(2), Dkim2VerifierOptions.defaults()
                .withClock(Hops.CLOCK).withEarlierVersions(new SubjectBack(" Dinner")));

        assertEquals(Dkim2Verdict.PASS, good.verdict(), good::toString);
        assertEquals(Dkim2Result.Check.PASS, good.instances().get(0).check());
        assertEquals(Dkim2Verdict.FAIL, bad.verdict());
        assertEquals("Message Instance m=1 header hash sha256 mismatch", bad.reason());
        assertEquals(Dkim2Result.Check.FAIL, bad.instances().get(0).check());
    }

    /** A stand-in for the recipe engine: puts the Subject back, passes the body through unchanged. */
    private record SubjectBack(String subject) implements EarlierVersions {
        @Override
        public Optional<Stage> recreate(MessageInstance instance, List<HeaderField> headers) {
            List<HeaderField> earlier = headers.stream()
                    .map(f -> f.is("Subject") ? HeaderField.of("Subject:" + subject) : f).toList();
            return Optional.of(new Stage() {
                @Override
                public List<HeaderField> headers() {
                    return earlier;
                }

                @Override
                public BodySink body(BodySink sink) {
                    return sink;
                }
            });
        }
    }

    @Test
    void nextDomainHop_isFollowedBySignatureOfThatDomain() throws Exception {
        String once = Hops.chain(1, 3, Hops.Keys.ED25519);
        // hop 2 receives as hop2.example and hands on to hop3.example, which forwards: -06 9.3.
        String imaginary = Hops.sign(once, 2, 3, Hops.Keys.ED25519, Dkim2SignOptions.forNextDomain(Hops.domain(3)));
        String forwarded = Hops.sign(imaginary, 3, 3, Hops.Keys.ED25519, null);
        FakeDns dns = Hops.dns(3);

        Dkim2Result result = Hops.verify(forwarded, Hops.envelope(3, 3), dns);
        Dkim2Result terminal = Hops.verify(imaginary, Hops.envelope(2, 3), dns);
        Dkim2Result accepted = Hops.verify(imaginary, Hops.envelope(2, 3), dns, Dkim2VerifierOptions.defaults()
                .withClock(Hops.CLOCK).withAcceptNextDomain(true));

        assertEquals(Dkim2Verdict.PASS, result.verdict(), result::toString);
        assertEquals(Optional.of(Hops.domain(3)), result.hops().get(1).nextDomain());
        assertEquals(Dkim2Verdict.PERMERROR, terminal.verdict());
        assertEquals("DKIM2-Signature i=2 unexpected nd= tag", terminal.reason());
        assertEquals(Dkim2Verdict.PASS, accepted.verdict(), accepted::toString);
    }

    @Test
    void headerOnlyMessage_andMessageWithBody_hashTheirHeaderAlike() throws Exception {
        String header = Hops.MESSAGE.substring(0, Hops.MESSAGE.indexOf("\r\n\r\n") + 2);
        String headerOnly = Hops.sign(header, 1, 1, Hops.Keys.ED25519, null);
        String withBody = Hops.sign(Hops.MESSAGE, 1, 1, Hops.Keys.ED25519, null);

        assertEquals(Dkim2Verdict.PASS, Hops.verify(headerOnly, Hops.envelope(1, 1), Hops.dns(1)).verdict());
        assertEquals(headerOnly.substring(0, headerOnly.indexOf(":", headerOnly.indexOf("h=sha256:") + 9)),
                withBody.substring(0, withBody.indexOf(":", withBody.indexOf("h=sha256:") + 9)));
    }

    @Test
    void messageWithoutDkim2Fields_isNone() {
        Dkim2Result result = Hops.verify(Hops.MESSAGE, Hops.envelope(1, 1), Hops.dns(1));

        assertEquals(Dkim2Verdict.NONE, result.verdict());
        assertTrue(result.hops().isEmpty());
    }

    @Test
    void sha512Instance_isWrittenAndVerified() throws Exception {
        String message = Hops.sign(Hops.MESSAGE, 1, 1, Hops.Keys.ED25519,
                Dkim2SignOptions.forEnvelope(Hops.envelope(1, 1)).withHashes(Dkim2Wire.SHA256, Dkim2Wire.SHA512));
        Dkim2Result result = Hops.verify(message, Hops.envelope(1, 1), Hops.dns(1));

        assertTrue(message.contains(",\r\n\tsha512:"), message);
        assertEquals(Dkim2Verdict.PASS, result.verdict(), result::toString);
    }
}
