package org.sealpost.signing.arc;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.sealpost.signing.dkim.Algorithm;
import org.sealpost.signing.dkim.BodyHash;
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
 * (RFC 8617 5.1). The body is hashed as it comes; only the header section is kept.
 */
public final class ArcSealing {

    private final SigningKey key;
    private final SignerOptions options;
    private final ArcResult chain;
    private final String payload;
    private final SignerInput input;

    ArcSealing(SigningKey key, SignerOptions options, ArcResult chain, String authenticationResults) {
        this.key = key;
        this.options = options;
        this.chain = chain;
        this.payload = payload(authenticationResults);
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
     * The three fields of our set, top first, each ending in CRLF.
     *
     * @throws IllegalArgumentException when the message cannot be sealed: no From field, header too large,
     *     already 50 sets, or a chain result that does not describe this message
     */
    public String finish() {
        List<HeaderField> fields = input.finish();
        ArcChain existing = ArcChain.read(fields, true, options.clock().instant(), Duration.ofDays(365_000));
        List<String> earlier = new ArrayList<>();
        ArcStatus cv = chain.status();
        if (cv == ArcStatus.PASS) {
            if (existing.status() != ArcStatus.PASS || existing.sets().size() != chain.instances()) {
                throw new IllegalArgumentException("cannot seal: the chain result (arc=pass, " + chain.instances()
                        + " sets) does not describe this message's ARC fields");
            }
            for (ArcChain.ArcSet set : existing.sets()) {
                earlier.add(set.results().raw());
                earlier.add(set.messageSignature().field().raw());
                earlier.add(set.seal().field().raw());
            }
        } else if (cv == ArcStatus.NONE && existing.status() != ArcStatus.NONE) {
            throw new IllegalArgumentException("cannot seal: the chain result says arc=none but the message has ARC fields");
        }
        // RFC 8617 5.1.2: on a failed chain the seal says cv=fail and covers only the set being added.
        int instance = existing.highest() + 1;
        if (instance > ArcChain.MAX_SETS) {
            throw new IllegalArgumentException("cannot seal: the message already has " + ArcChain.MAX_SETS
                    + " ARC sets, the most RFC 8617 4.2.1 allows");
        }
        long now = options.clock().instant().getEpochSecond();
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
                .tag("t", Long.toString(now))
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
                .tag("t", Long.toString(now));
        String sealUnsigned = seal.beforeSignature();
        String sealField = seal.withSignature(sign(algorithm, SealInput.ofRaw(earlier, results, amsField, sealUnsigned)));
        return sealField + "\r\n" + amsField + "\r\n" + results + "\r\n";
    }

    private String sign(Algorithm algorithm, byte[] data) {
        try {
            return Base64.getEncoder().encodeToString(algorithm.sign(key.privateKey(), data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing with " + key.selector() + "._domainkey." + key.domain()
                    + " failed: " + e.getMessage(), e);
        }
    }

    /** The A-R value without the field name, unfolded: "authserv-id; method=result ...". */
    static String payload(String authenticationResults) {
        String text = authenticationResults.replace("\r\n", "").replace("\n", "");
        int colon = text.indexOf(':');
        if (colon > 0 && text.substring(0, colon).trim().equalsIgnoreCase("Authentication-Results")) {
            text = text.substring(colon + 1);
        }
        text = TagList.trim(text);
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the Authentication-Results for the seal are empty");
        }
        return text;
    }
}
