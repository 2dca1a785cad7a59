package org.sealpost.signing.dmarc;

import java.util.Comparator;
import java.util.List;

/**
 * The DMARC outcome for a message: one evaluation per distinct Author Domain of its From field
 * and the strictest of them, the one to apply (RFC 9989 11.5).
 *
 * @param evaluations one per Author Domain, in the order given
 * @param complete    false when the From field named more domains than are evaluated
 */
public record DmarcVerdict(List<DmarcEvaluation> evaluations, boolean complete) {

    public DmarcVerdict {
        evaluations = List.copyOf(evaluations);
        if (evaluations.isEmpty()) {
            throw new IllegalArgumentException("a verdict needs at least one evaluation");
        }
    }

    /** The strictest evaluation; the first of equals. */
    public DmarcEvaluation applied() {
        return evaluations.stream().max(Comparator.comparingInt(DmarcEvaluation::severity)
                .thenComparing(e -> -evaluations.indexOf(e))).orElseThrow();
    }
}
