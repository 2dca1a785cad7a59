package org.sealpost.transport.inbound;

import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.sealpost.signing.dkim2.Dkim2Result;
import org.sealpost.signing.dkim2.Dkim2Verdict;

/**
 * The dkim2 resinfo of our Authentication-Results field (draft-gondwana-dkim2-authres-00): one for
 * the whole chain, e.g. {@code dkim2=pass (i=1 example.org pass, i=2 list.example.net pass)
 * header.d=example.org}. The comment lists the hops oldest first and, unless the chain passed, the
 * verifier's reason; header.d is the originator's domain (i=1), header.i the hop a failure is
 * charged to, left out for failures of the message as a whole.
 */
final class Dkim2Report {

    /** authres-00 3.3.2: a limit on each value the comment repeats from the message. */
    static final int MAX_VALUE = 200;

    private Dkim2Report() {
    }

    static String resinfo(Dkim2Result result) {
        if (result.verdict() == Dkim2Verdict.NONE) {
            return "dkim2=none";
        }
        StringBuilder out = new StringBuilder("dkim2=").append(result.verdict().token());
        String hops = result.hops().stream().map(h -> "i=" + h.i() + " " + bounded(h.domain()) + " " + outcome(h.verdict())
                + changes(result.changesOf(h))).collect(Collectors.joining(", "));
        String diagnostic = result.verdict() == Dkim2Verdict.PASS ? "" : bounded(result.reason());
        String comment = hops + (hops.isEmpty() || diagnostic.isEmpty() ? "" : "; ") + diagnostic;
        if (!comment.isEmpty()) {
            out.append(' ').append(AuthenticationResults.comment(comment));
        }
        result.hops().stream().filter(h -> h.i() == 1).findFirst()
                .ifPresent(first -> out.append(" header.d=").append(Findings.value(first.domain())));
        charged(result).ifPresent(i -> out.append(" header.i=").append(i));
        return out.toString();
    }

    /** authres-00 3.2.2: the hop the failure belongs to, the newest failing one; none when every hop passed. */
    static OptionalInt charged(Dkim2Result result) {
        if (result.verdict() == Dkim2Verdict.PASS) {
            return OptionalInt.empty();
        }
        List<Dkim2Result.Hop> hops = result.hops();
        for (int k = hops.size() - 1; k >= 0; k--) {
            Dkim2Verdict verdict = hops.get(k).verdict();
            if (verdict != Dkim2Verdict.PASS && verdict != Dkim2Verdict.NONE) {
                return OptionalInt.of(hops.get(k).i());
            }
        }
        // A Message-Instance whose hashes failed is charged to the signature whose m= first names it.
        for (Dkim2Result.Instance instance : result.instances()) {
            if (instance != null && instance.check() == Dkim2Result.Check.FAIL) {
                for (Dkim2Result.Hop hop : hops) {
                    if (hop.m() == instance.m()) {
                        return OptionalInt.of(hop.i());
                    }
                }
            }
        }
        return OptionalInt.empty();
    }

    /**
     * A hop's changes in the comment's short form: " changed -h:reply-to ~h:subject -p:2:application/pdf"
     * (+ added, - removed, ~ changed; h a header field, p a MIME part with its path and type).
     */
    static String changes(List<String> lines) {
        if (lines.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(" changed");
        for (String line : lines) {
            String[] words = line.split(" ");
            if (line.startsWith("(") || words.length < 3) {
                continue; // "(not reported: ...)": the hop's outcome and the reason say enough
            }
            char kind = words[0].equals("added") ? '+' : words[0].equals("removed") ? '-' : '~';
            out.append(' ').append(kind).append(words[1].equals("part") ? "p:" : "h:").append(bounded(words[2]));
            if (words.length > 3) {
                out.append(':').append(bounded(words[3]));
            }
        }
        return out.toString();
    }

    private static String outcome(Dkim2Verdict verdict) {
        return verdict == Dkim2Verdict.NONE ? "skipped" : verdict.token();
    }

    private static String bounded(String value) {
        return value.length() <= MAX_VALUE ? value : value.substring(0, MAX_VALUE) + "...";
    }
}
