package org.sealpost.signing.arc;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.sealpost.signing.dkim.Algorithm;
import org.sealpost.signing.dkim.BodyHash;
import org.sealpost.signing.dkim.DkimPermanentError;
import org.sealpost.signing.dkim.HeaderField;
import org.sealpost.signing.dkim.HeaderHash;
import org.sealpost.signing.dkim.MessageSigning;
import org.sealpost.signing.dkim.SignatureFolder;
import org.sealpost.signing.dkim.SignerInput;
import org.sealpost.signing.dkim.SignerOptions;
import org.sealpost.signing.dkim.SigningKey;
import org.sealpost.signing.dkim.TagList;

/**
 * The sealing of one message: feed it with {@link #update} (CRLF line ends), then {@link #finish}
 * returns the ARC-Seal, ARC-Message-Signature and ARC-Authentication-Results fields to put on top
 * (RFC 8617 5.1). The body is hashed as it comes; only the header section is kept. The chain state
 * and our Authentication-Results are given only at the end, since a relay learns them from the
 * header section it is feeding.
 */
public final class ArcSealing {

    /**
     * Our set: the three fields, top first, each ending in CRLF; its instance; the cv= it carries; and
     * when that cv= differs from the state on arrival, why (else "").
     */
    public record Seal(String fields, int instance, ArcStatus cv, String note) {
    }

    private final SigningKey key;
    private final SignerOptions options;
    private final SignerInput input;

    ArcSealing(SigningKey key, SignerOptions options) {
        this.key = key;
        this.options = options;
        this.input = new SignerInput(options, "seal");
    }

    public void update(byte[] data, int offset, int length) {
        input.update(data, offset, length);
    }

    public void update(byte[] data) {
        update(data, 0, data.length);
    }

    public void update(ByteBuffer buffer) {
        input.update(buffer);
    }

    /**
     * Seals with cv= from the chain state on arrival (RFC 8617 4.1.3, 5.1.1), for a relay that validated the
     * chain earlier and does not validate it again now (a list may have changed the message since).
     *
     * @param arrival               none, pass or fail: the arc= result when the message arrived
     * @param authenticationResults our own Authentication-Results for the message (the field's value, with or
     *                              without the "Authentication-Results:" name), which becomes the payload of
     *                              our ARC-Authentication-Results (RFC 8617 4.1.1)
     * @throws IllegalArgumentException when the message is not to be sealed: no From field, header too large,
     *     already 50 sets, the newest seal already says cv=fail (RFC 8617 5.1 step 1), or ARC fields on a
     *     message that had none on arrival (someone sealed after us; we cannot speak for that set)
     */
    public Seal finish(ArcStatus arrival, String authenticationResults) {
        return finish(arrival, -1, authenticationResults);
    }

    /** The same with the number of sets counted on arrival, checked against the message (-1: not known). */
    Seal finish(ArcStatus arrival, int arrivalSets, String authenticationResults) {
        String payload = payload(authenticationResults);
        List<HeaderField> fields = input.finish();
        Instant now = options.clock().instant();
        ArcChain existing = ArcChain.read(fields, true, now, Duration.ofDays(365_000));
        // RFC 8617 5.1 step 1: once the newest set says cv=fail there is nothing a later sealer can add.
        if (newestSealSaysFail(fields, existing.highest(), now)) {
            throw new IllegalArgumentException("cannot seal: the newest ARC-Seal (i=" + existing.highest()
                    + ") already says cv=fail, and RFC 8617 5.1 step 1 stops there");
        }
        int instance = existing.highest() + 1;
        if (instance > ArcChain.MAX_SETS) {
            throw new IllegalArgumentException("cannot seal: the message already has " + ArcChain.MAX_SETS
                    + " ARC sets, the most RFC 8617 4.2.1 allows");
        }
        List<String> earlier = new ArrayList<>();
        ArcStatus cv = arrival;
        String note = "";
        if (arrival == ArcStatus.PASS && existing.status() != ArcStatus.PASS) {
            // The chain passed on arrival and was broken on the way through (sets removed, fields edited): RFC 8617
            // 5.1.2, the sealer that finds the chain malformed says cv=fail and seals its own set only.
            cv = ArcStatus.FAIL;
            note = "the chain that passed on arrival is no longer intact ("
                    + (existing.status() == ArcStatus.NONE ? "its ARC fields are gone" : existing.reason()) + ")";
        } else if (arrival == ArcStatus.PASS) {
            if (arrivalSets >= 0 && existing.sets().size() != arrivalSets) {
                throw new IllegalArgumentException("cannot seal: the chain result (arc=pass, " + arrivalSets
                        + " sets) does not describe this message's ARC fields");
            }
            for (ArcChain.ArcSet set : existing.sets()) {
                earlier.add(set.results().raw());
                earlier.add(set.messageSignature().field().raw());
                earlier.add(set.seal().field().raw());
            }
        } else if (arrival == ArcStatus.NONE && existing.status() != ArcStatus.NONE) {
            throw new IllegalArgumentException("cannot seal: the chain result says arc=none but the message has ARC fields");
        }
        // RFC 8617 5.1.2: on a failed chain the seal says cv=fail and covers only the set being added.
        long epoch = now.getEpochSecond();
        Algorithm algorithm = Algorithm.forKey(key.type());
        String results = ArcChain.AUTHENTICATION_RESULTS + ": i=" + instance + "; " + payload;

        List<HeaderField> withResults = new ArrayList<>();
        withResults.add(HeaderField.of(results));
        withResults.addAll(fields);
        List<String> signed = MessageSigning.signedHeaders(fields, options);
        BodyHash.Result hash = input.bodyHash();
        SignatureFolder ams = new SignatureFolder(ArcSignature.MESSAGE_SIGNATURE)
                .tag("i", Integer.toString(instance))
                .tag("a", algorithm.tag())
                .tag("c", options.headerCanonicalization().tag() + "/" + options.bodyCanonicalization().tag())
                .tag("d", key.domain())
                .tag("s", key.selector())
                .tag("t", Long.toString(epoch))
                .headerList(signed)
                .tag("bh", Base64.getEncoder().encodeToString(hash.digest()));
        String amsUnsigned = ams.beforeSignature();
        String amsField = ams.withSignature(sign(algorithm,
                HeaderHash.input(withResults, signed, amsUnsigned, options.headerCanonicalization())));

        SignatureFolder seal = new SignatureFolder(ArcSignature.SEAL)
                .tag("i", Integer.toString(instance))
                .tag("a", algorithm.tag())
                .tag("cv", cv.tag())
                .tag("d", key.domain())
                .tag("s", key.selector())
                .tag("t", Long.toString(epoch));
        String sealUnsigned = seal.beforeSignature();
        String sealField = seal.withSignature(sign(algorithm, SealInput.ofRaw(earlier, results, amsField, sealUnsigned)));
        return new Seal(sealField + "\r\n" + amsField + "\r\n" + results + "\r\n", instance, cv, note);
    }

    /** Whether an ARC-Seal with i={@code highest} says cv=fail (read even when the chain around it is malformed). */
    private static boolean newestSealSaysFail(List<HeaderField> fields, int highest, Instant now) {
        for (HeaderField field : fields) {
            if (highest > 0 && field.is(ArcSignature.SEAL) && ArcSignature.instanceOf(field) == highest) {
                try {
                    if (ArcSignature.parseSeal(field, highest, true, now, Duration.ofDays(365_000)).cv() == ArcStatus.FAIL) {
                        return true;
                    }
                } catch (DkimPermanentError e) {
                    // a seal that does not parse says nothing; the chain is malformed and gets cv=fail below
                }
            }
        }
        return false;
    }

    private String sign(Algorithm algorithm, byte[] data) {
        try {
            return Base64.getEncoder().encodeToString(algorithm.sign(key.privateKey(), data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing with " + key.selector() + "._domainkey." + key.domain()
                    + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The A-R value without the field name, "authserv-id; method=result ...", its folding kept: our
     * ARC-Authentication-Results then keeps the lines of the field it copies short (RFC 5322 2.1.1), and
     * reads the same unfolded (both signatures over it use relaxed canonicalization, RFC 8617 5.1.1).
     */
    static String payload(String authenticationResults) {
        String text = authenticationResults.replace("\r\n", "\n").replace("\n", "\r\n");
        int colon = text.indexOf(':');
        if (colon > 0 && text.substring(0, colon).trim().equalsIgnoreCase("Authentication-Results")) {
            text = text.substring(colon + 1);
        }
        // A line break is kept only as a fold (CRLF then white space); the field's first line is ours.
        text = TagList.trim(text).replaceAll("\r\n(?![ \t])", "");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the Authentication-Results for the seal are empty");
        }
        return text;
    }
}
