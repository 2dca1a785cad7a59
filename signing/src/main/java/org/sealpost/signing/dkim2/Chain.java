package org.sealpost.signing.dkim2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.sealpost.signing.dkim.HeaderField;

/**
 * The DKIM2 fields of a message, parsed and in order: Message-Instances by m=, DKIM2-Signatures by
 * i=, with the numbering -06 7.1, 8.1 and 11.2 require (no gaps, no instance above the newest
 * signature's m=, a recipe on every instance after the first).
 */
record Chain(List<MessageInstance> instances, List<Dkim2Signature> signatures) {

    /** More hops than this is a loop or an attack, not a path. */
    static final int MAX_HOPS = 50;

    boolean isEmpty() {
        return instances.isEmpty() && signatures.isEmpty();
    }

    /** The highest m=, or 0. */
    int highestInstance() {
        return instances.size();
    }

    MessageInstance newestInstance() {
        return instances.get(instances.size() - 1);
    }

    Dkim2Signature newestSignature() {
        return signatures.get(signatures.size() - 1);
    }

    /** The instances a signature covers: m=1 to its m= (-06 11: later ones are ignored for it). */
    List<MessageInstance> instancesFor(Dkim2Signature sig) {
        return instances.subList(0, sig.m());
    }

    static Chain read(List<HeaderField> fields) throws Dkim2PermanentError {
        List<MessageInstance> instances = new ArrayList<>();
        List<Dkim2Signature> signatures = new ArrayList<>();
        for (HeaderField field : fields) {
            if (field.is(Dkim2Wire.INSTANCE_FIELD)) {
                instances.add(Dkim2Wire.parseInstance(field));
            } else if (field.is(Dkim2Wire.SIGNATURE_FIELD)) {
                signatures.add(Dkim2Wire.parseSignature(field));
            }
            if (instances.size() > MAX_HOPS || signatures.size() > MAX_HOPS) {
                throw new Dkim2PermanentError("more than " + MAX_HOPS + " DKIM2 fields of one kind");
            }
        }
        instances.sort(Comparator.comparingInt(MessageInstance::m));
        signatures.sort(Comparator.comparingInt(Dkim2Signature::i));
        for (int k = 0; k < instances.size(); k++) {
            int m = instances.get(k).m();
            if (m != k + 1) {
                // -06 7.1: "Gaps in the numbering MUST be treated as making the whole message impossible to verify".
                throw new Dkim2PermanentError(m < k + 1 ? Dkim2Wire.INSTANCE_FIELD + " m=" + m + " syntax error: appears twice"
                        : Dkim2Wire.INSTANCE_FIELD + " m=" + (k + 1) + " missing");
            }
            if (m > 1 && instances.get(k).recipe().isEmpty()) {
                // -06 9.1: every instance after the first carries recipes, or a null recipe.
                throw new Dkim2PermanentError(Dkim2Wire.INSTANCE_FIELD + " m=" + m + " tag=r missing");
            }
        }
        for (int k = 0; k < signatures.size(); k++) {
            int i = signatures.get(k).i();
            if (i != k + 1) {
                // -06 8.1: "Gaps in the numbering MUST be treated as making the whole message unsigned".
                throw new Dkim2PermanentError(i < k + 1 ? Dkim2Wire.SIGNATURE_FIELD + " i=" + i + " syntax error: appears twice"
                        : Dkim2Wire.SIGNATURE_FIELD + " i=" + (k + 1) + " missing");
            }
        }
        if (instances.isEmpty() != signatures.isEmpty()) {
            throw new Dkim2PermanentError(instances.isEmpty() ? Dkim2Wire.INSTANCE_FIELD + " m=1 missing"
                    : Dkim2Wire.INSTANCE_FIELD + " m=1 is not signed");
        }
        int previous = 1;
        for (Dkim2Signature sig : signatures) {
            if (sig.m() > instances.size()) {
                throw new Dkim2PermanentError(Dkim2Wire.INSTANCE_FIELD + " m=" + sig.m() + " missing (named by "
                        + Dkim2Wire.SIGNATURE_FIELD + " i=" + sig.i() + ")");
            }
            if (sig.m() < previous) {
                throw new Dkim2PermanentError(Dkim2Wire.SIGNATURE_FIELD + " i=" + sig.i() + " syntax error: m=" + sig.m()
                        + " is older than the m=" + previous + " an earlier signature named");
            }
            previous = sig.m();
        }
        if (!signatures.isEmpty() && signatures.get(signatures.size() - 1).m() != instances.size()) {
            // -06 11.2: "there MUST NOT be a Message-Instance field with a higher m= value than occurs in any DKIM2-Signature".
            throw new Dkim2PermanentError(Dkim2Wire.INSTANCE_FIELD + " m=" + instances.size() + " is not signed");
        }
        return new Chain(List.copyOf(instances), List.copyOf(signatures));
    }
}
