package org.sealpost.signing.arc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.signing.dkim.BodyHash;
import org.sealpost.signing.dkim.HeaderField;

/**
 * RFC 8617 5.2 steps 5 to 8 on a chain whose structure passed: the newest message signature, the
 * oldest-pass value from the older ones, then every seal from the newest down.
 */
final class ChainCheck {

    /** A key lookup's answer, or the error it ended with. */
    record Answer(DnsAnswer<String> answer, Throwable error) {
    }

    private final ArcChain chain;
    private final List<HeaderField> fields;
    private final Map<String, BodyHash.Result> bodies;
    private final Function<ArcSignature, Answer> keys;
    private final boolean legacy;

    ChainCheck(ArcChain chain, List<HeaderField> fields, Map<String, BodyHash.Result> bodies,
            Function<ArcSignature, Answer> keys, boolean legacy) {
        this.chain = chain;
        this.fields = fields;
        this.bodies = bodies;
        this.keys = keys;
        this.legacy = legacy;
    }

    static String bodyKey(ArcSignature ams) {
        return ams.bodyCanonicalization() + "/" + ams.algorithm().digest();
    }

    ArcResult run() {
        List<ArcChain.ArcSet> sets = chain.sets();
        int n = sets.size();
        SignatureCheck.Checked[] ams = new SignatureCheck.Checked[n];
        SignatureCheck.Checked[] seals = new SignatureCheck.Checked[n];
        // Step 5: the newest message signature must verify.
        ams[n - 1] = messageSignature(sets.get(n - 1));
        if (ams[n - 1].status() == ArcStatus.FAIL) {
            return result(ArcStatus.FAIL, ams[n - 1].reason(), ams[n - 1].temporary(), 0, ams, seals);
        }
        // Step 6: oldest-pass, from N-1 down; the first failure at x makes it x+1; all verified makes it 0.
        int oldestPass = 0;
        for (int i = n - 2; i >= 0; i--) {
            ams[i] = messageSignature(sets.get(i));
            if (ams[i].status() != ArcStatus.PASS) {
                oldestPass = i + 2;
                break;
            }
        }
        // Step 7: every seal, newest first.
        for (int i = n - 1; i >= 0; i--) {
            ArcSignature seal = sets.get(i).seal();
            Answer key = keys.apply(seal);
            seals[i] = SignatureCheck.seal(seal, sets, key.answer(), key.error(), legacy);
            if (seals[i].status() != ArcStatus.PASS) {
                return result(ArcStatus.FAIL, seals[i].reason(), seals[i].temporary(), 0, ams, seals);
            }
        }
        ArcChain.ArcSet newest = sets.get(n - 1);
        return result(ArcStatus.PASS, n + (n == 1 ? " set" : " sets") + ", newest sealed by " + newest.seal().domain(),
                false, oldestPass, ams, seals);
    }

    private SignatureCheck.Checked messageSignature(ArcChain.ArcSet set) {
        ArcSignature sig = set.messageSignature();
        Answer key = keys.apply(sig);
        return SignatureCheck.messageSignature(sig, fields, key.answer(), key.error(), bodies.get(bodyKey(sig)), legacy);
    }

    private ArcResult result(ArcStatus status, String reason, boolean temporary, int oldestPass,
            SignatureCheck.Checked[] ams, SignatureCheck.Checked[] seals) {
        List<ArcSetResult> out = new ArrayList<>();
        for (int i = 0; i < chain.sets().size(); i++) {
            ArcChain.ArcSet set = chain.sets().get(i);
            ArcSignature seal = set.seal();
            ArcSignature sig = set.messageSignature();
            out.add(new ArcSetResult(set.instance(), seal.domain(), seal.selector(), sig.domain(), sig.selector(),
                    seal.cv(), set.payload(), ams[i] == null ? ArcStatus.NONE : ams[i].status(),
                    seals[i] == null ? ArcStatus.NONE : seals[i].status(), seals[i] == null ? null : seals[i].security(),
                    ams[i] == null ? null : ams[i].security()));
        }
        return new ArcResult(status, reason, temporary, oldestPass, out);
    }
}
