package org.sealpost.signing.dkim2;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import org.sealpost.dnssec.Security;

/**
 * The verification of one message's DKIM2 chain (-06 10, 11): the overall verdict with its reason,
 * the i= of the signature the reason belongs to (0 when it is the whole message's, or none),
 * one entry per hop, oldest first, one per Message-Instance, and what tells this transmission of
 * the message from another (present when the chain could be read).
 */
public record Dkim2Result(Dkim2Verdict verdict, String reason, int failedHop, List<Hop> hops, List<Instance> instances,
        Optional<Transmission> transmission) {

    /** -06 11.9: the error for a copy of a message already received. */
    public static final String DUPLICATE = "Duplicate message with no exploded flag";
    /** Values from the message are cut to this many characters in the Authentication-Results comment. */
    private static final int MAX_VALUE = 200;

    public Dkim2Result {
        hops = List.copyOf(hops);
        instances = List.copyOf(instances);
    }

    /** A result without a transmission: a chain that could not be read, or one made up by a caller. */
    public Dkim2Result(Dkim2Verdict verdict, String reason, int failedHop, List<Hop> hops, List<Instance> instances) {
        this(verdict, reason, failedHop, hops, instances, Optional.empty());
    }

    static Dkim2Result none() {
        return new Dkim2Result(Dkim2Verdict.NONE, "no DKIM2 fields", 0, List.of(), List.of());
    }

    static Dkim2Result of(Dkim2Verdict verdict, String reason) {
        return new Dkim2Result(verdict, reason, 0, List.of(), List.of());
    }

    /** Whether a hop marked the message exploded (-06 8.10 f=exploded): copies of it are expected (-06 11.9). */
    public boolean exploded() {
        return hops.stream().anyMatch(hop -> hop.flags().contains(Dkim2Wire.EXPLODED));
    }

    /**
     * This result as the verifier reports a copy of a transmission it has already received (-06 11.9
     * "Possible errors: FAIL: Duplicate message with no exploded flag"), charged to the newest hop:
     * the hops keep their own outcomes, the message as a whole fails.
     */
    public Dkim2Result duplicate() {
        return new Dkim2Result(Dkim2Verdict.FAIL, DUPLICATE, hops.isEmpty() ? 0 : hops.get(hops.size() - 1).i(), hops,
                instances, transmission);
    }

    /**
     * The resinfo for Authentication-Results (RFC 8601) as draft-gondwana-dkim2-authres-00 writes it:
     * {@code dkim2=fail (i=1 a.example pass, i=2 b.example fail; FAIL: DKIM2-Signature i=2 ed incorrect
     * signature) header.d=a.example header.i=2}. header.d is the d= of i=1; header.i names the failing
     * signature; the comment is for people, its values escaped (authres-00 3.3.2).
     */
    public String toAuthenticationResults() {
        if (verdict == Dkim2Verdict.NONE) {
            return "dkim2=none";
        }
        StringBuilder out = new StringBuilder("dkim2=").append(verdict.token()).append(" (");
        for (int k = 0; k < hops.size(); k++) {
            Hop hop = hops.get(k);
            out.append(k == 0 ? "" : ", ").append("i=").append(hop.i()).append(' ').append(escape(hop.domain())).append(' ')
                    .append(hop.verdict().token()).append(escape(shortChanges(changesOf(hop))));
        }
        if (!reason.isEmpty()) {
            out.append(hops.isEmpty() ? "" : "; ").append(verdict == Dkim2Verdict.PASS ? "" : verdict.name() + ": ")
                    .append(escape(reason));
        }
        out.append(')');
        if (!hops.isEmpty()) {
            out.append(" header.d=").append(hops.get(0).domain());
        }
        if (verdict != Dkim2Verdict.PASS && failedHop > 0) {
            out.append(" header.i=").append(failedHop);
        }
        return out.toString();
    }

    /**
     * A hop's changes in the comment's short form: " changed -h:reply-to ~h:subject -p:2:application/pdf"
     * (+ added, - removed, ~ changed; h a header field, p a MIME part with its path and type).
     */
    static String shortChanges(List<String> lines) {
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            String[] words = line.split(" ");
            if (line.startsWith("(") || words.length < 3) {
                continue; // "(not reported: ...)": the hop's outcome and the reason say enough
            }
            char kind = words[0].equals("added") ? '+' : words[0].equals("removed") ? '-' : '~';
            out.append(' ').append(kind).append(words[1].equals("part") ? "p:" : "h:").append(words[2]);
            if (words.length > 3) {
                out.append(':').append(words[3]);
            }
        }
        return out.length() == 0 ? "" : " changed" + out;
    }

    // authres-00 3.3.2: '(', ')' and '\' as quoted-pairs; other octets outside ctext as '?'.
    private static String escape(String value) {
        StringBuilder out = new StringBuilder();
        String cut = value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) + "..." : value;
        for (char c : cut.toCharArray()) {
            if (c == '(' || c == ')' || c == '\\') {
                out.append('\\');
            }
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
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

    /**
     * What tells one transmission of a signed message from another (-06 11.9): the hashes of
     * Message-Instance m=1 (the message as its originator signed it), the newest DKIM2-Signature's
     * i=, d= and sig-sets (this hop's signing of it), and the envelope it arrived with.
     */
    public record Transmission(List<InstanceHash> original, int newestI, String newestDomain, List<SigSet> newestSigSets,
            Dkim2Envelope envelope) {

        public Transmission {
            original = List.copyOf(original);
            newestSigSets = List.copyOf(newestSigSets);
        }

        /**
         * A SHA-256 over every value, each one length-prefixed so that no two transmissions give the
         * same octets. Addresses compare as -06 11.4 compares them (the local part exactly, the domain
         * in lower case); the RCPT TOs are a set, in any order, repeats counted once.
         */
        public byte[] digest() {
            MessageDigest sha256;
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
            put(sha256, original.size());
            for (InstanceHash hash : original) {
                put(sha256, hash.algorithm());
                put(sha256, hash.headerHash());
                put(sha256, hash.bodyHash());
            }
            put(sha256, newestI);
            put(sha256, Dkim2Wire.lower(newestDomain));
            put(sha256, newestSigSets.size());
            for (SigSet set : newestSigSets) {
                put(sha256, set.selector());
                put(sha256, set.algorithm());
                put(sha256, set.signature());
            }
            put(sha256, mailbox(envelope.mailFrom()));
            List<String> recipients = envelope.rcptTo().stream().map(Transmission::mailbox).distinct().sorted().toList();
            put(sha256, recipients.size());
            recipients.forEach(rcpt -> put(sha256, rcpt));
            return sha256.digest();
        }

        /** -06 11.4 as Dkim2Wire.samePath compares: the local part exactly, the domain (or postmaster, "") in lower case. */
        private static String mailbox(String address) {
            int at = address.lastIndexOf('@');
            return at < 0 ? Dkim2Wire.lower(address)
                    : address.substring(0, at) + "@" + Dkim2Wire.lower(address.substring(at + 1));
        }

        private static void put(MessageDigest digest, int number) {
            digest.update(ByteBuffer.allocate(4).putInt(number).array());
        }

        private static void put(MessageDigest digest, String text) {
            put(digest, text.getBytes(StandardCharsets.UTF_8));
        }

        private static void put(MessageDigest digest, byte[] value) {
            put(digest, value.length);
            digest.update(value);
        }
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
