package org.sealpost.signing.arc;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.sealpost.signing.dkim.Canonicalization;
import org.sealpost.signing.dkim.HeaderHash;

/**
 * The data an ARC-Seal signs (RFC 8617 5.1.1): the sets in increasing instance order, each as its
 * ARC-Authentication-Results, ARC-Message-Signature and ARC-Seal, relaxed canonicalization, the seal
 * being made or checked last with its b= value empty and no final CRLF.
 */
final class SealInput {

    private SealInput() {
    }

    /** {@code sets} ends with the set whose seal is {@code sealField}; the seals of earlier sets are included. */
    static byte[] of(List<ArcChain.ArcSet> sets, String sealField) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < sets.size(); i++) {
            ArcChain.ArcSet set = sets.get(i);
            out.writeBytes(Canonicalization.RELAXED.header(set.results().raw()));
            out.writeBytes(Canonicalization.RELAXED.header(set.messageSignature().field().raw()));
            if (i < sets.size() - 1) {
                out.writeBytes(Canonicalization.RELAXED.header(set.seal().field().raw()));
            }
        }
        byte[] self = Canonicalization.RELAXED.header(HeaderHash.withEmptySignature(sealField));
        out.write(self, 0, self.length - 2);
        return out.toByteArray();
    }

    /** The same for a seal over the fields given raw (for sealing: the new set is not parsed). */
    static byte[] ofRaw(List<String> earlierFields, String results, String messageSignature, String sealField) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String raw : earlierFields) {
            out.writeBytes(Canonicalization.RELAXED.header(raw));
        }
        out.writeBytes(Canonicalization.RELAXED.header(results));
        out.writeBytes(Canonicalization.RELAXED.header(messageSignature));
        byte[] self = Canonicalization.RELAXED.header(HeaderHash.withEmptySignature(sealField));
        out.write(self, 0, self.length - 2);
        return out.toByteArray();
    }
}
