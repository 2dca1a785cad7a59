package org.sealpost.signing.dkim2;

import java.util.List;
import java.util.Optional;
import org.sealpost.dnssec.Security;

/**
 * The verification of one message's DKIM2 chain (-06 10, 11): the overall verdict with its reason,
 * one entry per hop, oldest first, and one per Message-Instance.
 */
public record Dkim2Result(Dkim2Verdict verdict, String reason, List<Hop> hops, List<Instance> instances) {

    public Dkim2Result {
        hops = List.copyOf(hops);
        instances = List.copyOf(instances);
    }

    static Dkim2Result none() {
        return new Dkim2Result(Dkim2Verdict.NONE, "no DKIM2 fields", List.of(), List.of());
    }

    static Dkim2Result of(Dkim2Verdict verdict, String reason) {
        return new Dkim2Result(verdict, reason, List.of(), List.of());
    }

    /**
     * What {@code hop} changed: the change reports of the Message-Instances it added, those above
     * the previous hop's m= up to its own (a hop that changed nothing added none).
     */
    public List<String> changesOf(Hop hop) {
        int before = hops.stream().filter(h -> h.i() < hop.i()).mapToInt(Hop::m).max().orElse(0);
        List<String> lines = new java.util.ArrayList<>();
        for (Instance instance : instances) {
            if (instance != null && instance.m() > before && instance.m() <= hop.m()) {
                lines.addAll(instance.changes());
            }
        }
        return lines;
    }

    /** One DKIM2-Signature: what it records, and what became of it. */
    public record Hop(int i, int m, String domain, Optional<String> mailFrom, List<String> rcptTo,
            Optional<String> nextDomain, long timestamp, List<String> flags, Dkim2Verdict verdict, String reason,
            List<SigSetResult> sigSets) {

        public Hop {
            rcptTo = List.copyOf(rcptTo);
            flags = List.copyOf(flags);
            sigSets = List.copyOf(sigSets);
        }
    }

    /**
     * One sig-set of a hop: {@code NONE} when its algorithm is not implemented and it was ignored
     * (-06 3.4); {@code keySecurity} is the DNSSEC status of the key answer, when one came.
     */
    public record SigSetResult(String selector, String algorithm, Dkim2Verdict verdict, String reason,
            Optional<Security> keySecurity, boolean testing) {
    }

    /** Whether a Message-Instance's hashes were checked against the version of the message it describes. */
    public enum Check {
        PASS,
        FAIL,
        /** No recipe engine recreated this version: the hashes were not compared. */
        NOT_CHECKED,
        /** A recipe on the way down says this version cannot be recreated (-06 5.2 null "b"). */
        NOT_RECREATABLE
    }

    /**
     * One Message-Instance and how its hashes fared; {@code changes}: what the hop that added it
     * changed, from version m-1 to m, in the change report's words (empty for m=1, or when the
     * earlier version was not recreated).
     */
    public record Instance(int m, Check check, String reason, List<String> changes) {

        public Instance {
            changes = List.copyOf(changes);
        }

        public Instance(int m, Check check, String reason) {
            this(m, check, reason, List.of());
        }
    }
}
