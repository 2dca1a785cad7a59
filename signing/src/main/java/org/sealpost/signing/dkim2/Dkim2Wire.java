package org.sealpost.signing.dkim2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sealpost.signing.dkim.Canonicalization;
import org.sealpost.signing.dkim.HeaderField;

/**
 * The whole DKIM2 wire format of draft-ietf-dkim-dkim2-spec-06 and draft-ietf-dkim-dkim2-dns-00 in
 * one place, so that the next revision is a change here: field, tag, hash, algorithm and flag
 * names; parsing and writing Message-Instance (-06 7) and DKIM2-Signature (-06 8) fields; base64 of
 * mf= and rt=; the unsigned header fields (-06 4.1); the two canonical forms (-06 6.2, 9.6).
 * Parsing is strict: every problem is a {@link Dkim2PermanentError} naming the field and the tag.
 */
public final class Dkim2Wire {

    /** The revisions this code follows. */
    public static final String REVISION = "draft-ietf-dkim-dkim2-spec-06";
    public static final String DNS_REVISION = "draft-ietf-dkim-dkim2-dns-00";

    public static final String SIGNATURE_FIELD = "DKIM2-Signature";
    public static final String INSTANCE_FIELD = "Message-Instance";

    // -06 7: Message-Instance tags.
    static final String TAG_M = "m";
    static final String TAG_H = "h";
    static final String TAG_R = "r";
    // -06 8: DKIM2-Signature tags (m= as above).
    static final String TAG_I = "i";
    static final String TAG_T = "t";
    static final String TAG_N = "n";
    static final String TAG_MF = "mf";
    static final String TAG_RT = "rt";
    static final String TAG_ND = "nd";
    static final String TAG_D = "d";
    static final String TAG_S = "s";
    static final String TAG_F = "f";

    /** -06 3.1 hash names. */
    public static final String SHA256 = "sha256";
    public static final String SHA512 = "sha512";
    /** -06 3.2, 3.3 sig-names. */
    public static final String RSA_SHA256 = "rsa-sha256";
    public static final String ED25519_SHA256 = "ed25519-sha256";
    /**
     * Not in -06 (an x-sig-name, -06 8.9): pure ML-DSA-44 with the context string "DKIM2", named as
     * Stalwart's mail-auth 0.15.1 names it after draft -08 3.4.
     */
    public static final String MLDSA44 = "mldsa44";

    /** -06 8.10 flags. */
    public static final String DONOTMODIFY = "donotmodify";
    public static final String DONOTEXPLODE = "donotexplode";
    public static final String FEEDBACK = "feedback";
    public static final String FEEDHERE = "feedhere";
    public static final String EXPLODED = "exploded";

    // dns-00 3.4.1: the key record tags DKIM2 reads (h=, n=, s= are retired and ignored).
    static final String KEY_V = "v";
    static final String KEY_K = "k";
    static final String KEY_P = "p";
    static final String KEY_T = "t";
    static final String KEY_VERSION = "DKIM1";
    static final String KEY_RSA = "rsa";
    static final String KEY_ED25519 = "ed25519";
    /** Not in dns-00: the key type for {@link #MLDSA44}, as mail-auth publishes it. */
    static final String KEY_MLDSA44 = "mldsa44";
    /** dns-00 3.6: the name a key record lives at is selector._domainkey.domain. */
    static final String KEY_LABEL = "._domainkey.";

    /** -06 8.3: n= is at most 64 characters. */
    static final int MAX_NONCE = 64;
    /** -06 8.9: one more signature with the same algorithm MAY be present, under another selector. */
    static final int MAX_SETS_PER_ALGORITHM = 2;
    /** Bounds on what one field may list, so that a hostile field costs little. */
    static final int MAX_SETS = 8;
    static final int MAX_HASHES = 4;
    static final int MAX_RECIPIENTS = 1000;

    // -06 4.1: these header fields are not signed and are hashed as if absent.
    private static final Set<String> UNSIGNED = Set.of("apparently-to", "arc-authentication-results",
            "arc-message-signature", "arc-seal", "authentication-results", "auto-submitted", "delivered-to",
            "dkim-signature", "dl-expansion-history", "original-recipient", "received", "return-path",
            "sio-label-history", "vbr-info", "x400-received", "x400-trace");

    private static final int FOLD = 64;

    private Dkim2Wire() {
    }

    // ---------------------------------------------------------------- header field names

    /** Whether -06 4.1 leaves the field unsigned: the list, Received-*, X-*. */
    public static boolean isUnsigned(String fieldName) {
        String name = lower(fieldName.strip());
        return UNSIGNED.contains(name) || name.startsWith("received-") || name.startsWith("x-");
    }

    /** Whether the field is a Message-Instance or DKIM2-Signature, which the header hash leaves out (-06 6.2). */
    public static boolean isDkim2(String fieldName) {
        return fieldName.equalsIgnoreCase(INSTANCE_FIELD) || fieldName.equalsIgnoreCase(SIGNATURE_FIELD);
    }

    // ---------------------------------------------------------------- Message-Instance

    /** Parses a Message-Instance field (-06 7). */
    public static MessageInstance parseInstance(HeaderField field) throws Dkim2PermanentError {
        Scan scan = scan(field.value());
        String number = scan.tags.get(TAG_M);
        String where = INSTANCE_FIELD + " m=" + (number != null && digits(number) ? number : "?");
        scan.check(where);
        int m = (int) number(scan.required(TAG_M, where), where, TAG_M, 9);
        List<InstanceHash> hashes = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        String[] sets = scan.required(TAG_H, where).split(",", -1);
        if (sets.length > MAX_HASHES) {
            throw new Dkim2PermanentError(where + " syntax error: h= has more than " + MAX_HASHES + " hash-sets");
        }
        for (String set : sets) {
            String[] parts = set.split(":", -1);
            if (parts.length != 3) {
                throw new Dkim2PermanentError(where + " syntax error: h= hash-set \"" + clip(trimFws(set))
                        + "\" is not name:header-hash:body-hash");
            }
            String name = trimFws(parts[0]);
            if (!textString(name)) {
                throw new Dkim2PermanentError(where + " syntax error: h= hash name \"" + clip(name) + "\"");
            }
            if (!names.add(name)) {
                // -06 7.3: "An algorithm MUST NOT be present more than once".
                throw new Dkim2PermanentError(where + " has a duplicate hash algorithm " + name);
            }
            InstanceHash hash = new InstanceHash(name, base64(parts[1], where, "h= " + name + " header hash"),
                    base64(parts[2], where, "h= " + name + " body hash"));
            String digest = digestName(name);
            int size = SHA512.equals(name) ? 64 : 32;
            if (digest != null && (hash.headerHash().length != size || hash.bodyHash().length != size)) {
                throw new Dkim2PermanentError(where + " syntax error: h= " + name + " hashes are not " + size + " octets");
            }
            hashes.add(hash);
        }
        Optional<String> recipe = Optional.empty();
        if (scan.tags.containsKey(TAG_R)) {
            recipe = Optional.of(new String(base64(scan.tags.get(TAG_R), where, "r="), StandardCharsets.UTF_8));
        }
        return new MessageInstance(m, hashes, recipe, field);
    }

    /**
     * Writes a Message-Instance field without its final CRLF: one tag a line, base64 folded every 64
     * characters, m= then h= then r= (the layout croessner/dkim2 writes, so its -06 vectors apply).
     */
    public static String formatInstance(int m, List<InstanceHash> hashes, String recipeJson) {
        StringBuilder out = new StringBuilder(INSTANCE_FIELD).append(": m=").append(m).append(";\r\n\th=");
        for (int k = 0; k < hashes.size(); k++) {
            InstanceHash hash = hashes.get(k);
            out.append(k == 0 ? "" : ",\r\n\t").append(hash.algorithm()).append(':')
                    .append(fold(base64(hash.headerHash()))).append(':').append(fold(base64(hash.bodyHash())));
        }
        out.append(';');
        if (recipeJson != null) {
            out.append("\r\n\tr=").append(fold(base64(recipeJson.getBytes(StandardCharsets.UTF_8)))).append(';');
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- DKIM2-Signature

    /** Parses a DKIM2-Signature field (-06 8), strictly: required tags, exclusive tags, limits. */
    public static Dkim2Signature parseSignature(HeaderField field) throws Dkim2PermanentError {
        Scan scan = scan(field.value());
        String number = scan.tags.get(TAG_I);
        String where = SIGNATURE_FIELD + " i=" + (number != null && digits(number) ? number : "?");
        scan.check(where);
        int i = (int) number(scan.required(TAG_I, where), where, TAG_I, 9);
        int m = (int) number(scan.required(TAG_M, where), where, TAG_M, 9);
        long t = number(scan.required(TAG_T, where), where, TAG_T, 15);
        String d = scan.required(TAG_D, where);
        if (!isDomain(d)) {
            throw new Dkim2PermanentError(where + " syntax error: d=" + clip(d) + " is not a domain");
        }
        Optional<String> nd = Optional.ofNullable(scan.tags.get(TAG_ND));
        Optional<String> mailFrom = Optional.empty();
        List<String> rcptTo = List.of();
        if (nd.isPresent()) {
            // -06 8.7: with nd= both mf= and rt= MUST be omitted.
            for (String tag : List.of(TAG_MF, TAG_RT)) {
                if (scan.tags.containsKey(tag)) {
                    throw new Dkim2PermanentError(where + " tag=" + tag + " was unexpected (nd= is present)");
                }
            }
            if (!isDomain(nd.get())) {
                throw new Dkim2PermanentError(where + " syntax error: nd=" + clip(nd.get()) + " is not a domain");
            }
        } else {
            if (!scan.tags.containsKey(TAG_MF) && !scan.tags.containsKey(TAG_RT)) {
                throw new Dkim2PermanentError(where + " tag=mf missing (neither mf= and rt= nor nd=)");
            }
            String mf = decodePath(scan.required(TAG_MF, where), where, TAG_MF);
            if (!isPath(mf, true)) {
                throw new Dkim2PermanentError(where + " syntax error: mf= is not a reverse-path: " + clip(mf));
            }
            mailFrom = Optional.of(mf);
            List<String> paths = new ArrayList<>();
            String[] values = scan.required(TAG_RT, where).split(",", -1);
            if (values.length > MAX_RECIPIENTS) {
                throw new Dkim2PermanentError(where + " syntax error: rt= lists more than " + MAX_RECIPIENTS + " recipients");
            }
            for (String value : values) {
                String rt = decodePath(value, where, TAG_RT);
                if (!isPath(rt, false)) {
                    throw new Dkim2PermanentError(where + " syntax error: rt= holds a value that is not a forward-path: "
                            + clip(rt));
                }
                paths.add(rt);
            }
            rcptTo = paths;
        }
        List<SigSet> sets = sigSets(scan.required(TAG_S, where), where);
        Optional<String> nonce = Optional.ofNullable(scan.tags.get(TAG_N));
        if (nonce.isPresent()) {
            if (nonce.get().length() > MAX_NONCE) {
                // -06 8.3: "implementations SHOULD reject messages where this limit has been ignored".
                throw new Dkim2PermanentError(where + " syntax error: n= is longer than " + MAX_NONCE + " characters");
            }
            if (!nonce.get().chars().allMatch(Dkim2Wire::valChar)) {
                throw new Dkim2PermanentError(where + " syntax error: n= holds whitespace");
            }
        }
        List<String> flags = new ArrayList<>();
        if (scan.tags.containsKey(TAG_F)) {
            for (String flag : scan.tags.get(TAG_F).split(",", -1)) {
                String name = trimFws(flag);
                if (!textString(name)) {
                    throw new Dkim2PermanentError(where + " syntax error: f= flag \"" + clip(name) + "\"");
                }
                if (!flags.contains(name)) {
                    flags.add(name);
                }
            }
        }
        return new Dkim2Signature(i, m, t, nonce, mailFrom, rcptTo, nd, d, sets, flags, field);
    }

    /**
     * Writes a DKIM2-Signature field without its final CRLF: i=, m=, t=, then nd= or mf= and rt=,
     * then d=, s=, n=, f=, one tag a line, base64 folded every 64 characters. The sig-sets are
     * written as given; an empty signature writes "selector:algorithm:", the form signed (-06 9.6).
     * {@code sig.field()} is not read.
     */
    public static String formatSignature(Dkim2Signature sig) {
        StringBuilder out = new StringBuilder(SIGNATURE_FIELD).append(": i=").append(sig.i()).append(";\r\n\tm=")
                .append(sig.m()).append(";\r\n\tt=").append(sig.timestamp()).append(";\r\n\t");
        if (sig.nextDomain().isPresent()) {
            out.append("nd=").append(sig.nextDomain().get()).append(";\r\n\t");
        } else {
            out.append("mf=").append(fold(base64(sig.mailFrom().orElseThrow().getBytes(StandardCharsets.UTF_8))))
                    .append(";\r\n\trt=");
            for (int k = 0; k < sig.rcptTo().size(); k++) {
                out.append(k == 0 ? "" : ",\r\n\t").append(fold(base64(sig.rcptTo().get(k).getBytes(StandardCharsets.UTF_8))));
            }
            out.append(";\r\n\t");
        }
        out.append("d=").append(sig.domain()).append(";\r\n\ts=");
        for (int k = 0; k < sig.sigSets().size(); k++) {
            SigSet set = sig.sigSets().get(k);
            out.append(k == 0 ? "" : ",\r\n\t").append(set.selector()).append(':').append(set.algorithm()).append(':')
                    .append(fold(base64(set.signature())));
        }
        out.append(';');
        sig.nonce().ifPresent(n -> out.append("\r\n\tn=").append(n).append(';'));
        if (!sig.flags().isEmpty()) {
            out.append("\r\n\tf=").append(String.join(",", sig.flags())).append(';');
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- canonical forms

    /**
     * A field as -06 9.6 signs it: the name in lower case, unfolded, every WSP deleted, with its
     * CRLF. For a DKIM2-Signature, {@code emptySignatures} sets each sig-set's signature to "".
     */
    static String signingForm(String raw, boolean emptySignatures) {
        int colon = raw.indexOf(':');
        StringBuilder out = new StringBuilder(raw.length());
        for (int k = 0; k < raw.length(); k++) {
            char c = raw.charAt(k);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                continue;
            }
            out.append(k < colon && c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        String compact = out.toString();
        return (emptySignatures ? withEmptySignatures(compact) : compact) + "\r\n";
    }

    // The s= value of a compact field, each signature emptied: "sel:alg:b64,sel2:alg2:b64" -> "sel:alg:,sel2:alg2:".
    private static String withEmptySignatures(String compact) {
        int colon = compact.indexOf(':');
        String[] specs = compact.substring(colon + 1).split(";", -1);
        for (int k = 0; k < specs.length; k++) {
            int eq = specs[k].indexOf('=');
            if (eq < 0 || !specs[k].substring(0, eq).equalsIgnoreCase(TAG_S)) {
                continue;
            }
            String[] sets = specs[k].substring(eq + 1).split(",", -1);
            for (int s = 0; s < sets.length; s++) {
                int second = sets[s].indexOf(':', sets[s].indexOf(':') + 1);
                if (second >= 0) {
                    sets[s] = sets[s].substring(0, second + 1);
                }
            }
            specs[k] = specs[k].substring(0, eq + 1) + String.join(",", sets);
        }
        return compact.substring(0, colon + 1) + String.join(";", specs);
    }

    /**
     * A field as the header hash takes it (-06 6.2): name lower-cased, unfolded, WSP runs as one SP,
     * no WSP at the end or around the colon, with its CRLF. This is DKIM's relaxed form.
     */
    static byte[] hashForm(String raw) {
        return Canonicalization.RELAXED.header(raw);
    }

    // ---------------------------------------------------------------- envelope

    /** The reverse-path for a bare MAIL FROM address ("" is the null sender): "&lt;a@b&gt;" (-06 8.5). */
    public static String reversePath(String address) {
        return "<" + bare(address) + ">";
    }

    /** The domain of a path or address, lower-cased; "" for the null sender or a path without '@'. */
    public static String domainOf(String path) {
        String address = bare(path);
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : lower(address.substring(at + 1));
    }

    /**
     * Whether two paths name the same mailbox (-06 11.4): the domain compared in lower case, the
     * local part exactly, and never the relaxed match.
     */
    public static boolean samePath(String a, String b) {
        String x = bare(a);
        String y = bare(b);
        int ax = x.lastIndexOf('@');
        int ay = y.lastIndexOf('@');
        if (ax < 0 || ay < 0) {
            return ax == ay && x.equalsIgnoreCase(y) && (x.isEmpty() || x.equalsIgnoreCase("postmaster"));
        }
        return x.substring(0, ax).equals(y.substring(0, ay)) && lower(x.substring(ax + 1)).equals(lower(y.substring(ay + 1)));
    }

    /**
     * -06 9.4 relaxed domain match: labels are taken off the left of {@code mailFromDomain} one by one
     * until it equals {@code domain}; no labels left is no match.
     */
    public static boolean relaxedMatch(String mailFromDomain, String domain) {
        String candidate = lower(mailFromDomain);
        String target = lower(domain);
        while (!candidate.isEmpty()) {
            if (candidate.equals(target)) {
                return true;
            }
            int dot = candidate.indexOf('.');
            candidate = dot < 0 ? "" : candidate.substring(dot + 1);
        }
        return false;
    }

    static String bare(String path) {
        String p = path.strip();
        return p.length() >= 2 && p.charAt(0) == '<' && p.charAt(p.length() - 1) == '>' ? p.substring(1, p.length() - 1) : p;
    }

    // ---------------------------------------------------------------- names and base64

    /** The JCA digest for a -06 3.1 hash name, or null for a hash this code does not implement. */
    static String digestName(String hash) {
        return SHA256.equals(hash) ? "SHA-256" : SHA512.equals(hash) ? "SHA-512" : null;
    }

    static String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    /**
     * A base64string (-06 2.14): FWS ignored, padded, zero padding bits; anything else is an error,
     * so that two values compare equal exactly when their text does.
     */
    static byte[] base64(String value, String where, String what) throws Dkim2PermanentError {
        String compact = withoutFws(value);
        if (compact.isEmpty()) {
            throw new Dkim2PermanentError(where + " syntax error: " + what + " is empty");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new Dkim2PermanentError(where + " syntax error: " + what + " is not valid base64");
        }
        if (!base64(decoded).equals(compact)) {
            throw new Dkim2PermanentError(where + " syntax error: " + what + " is not padded base64 with zero padding bits");
        }
        return decoded;
    }

    static String lower(String s) {
        return Canonicalization.asciiLower(s);
    }

    /** A Domain (RFC 5321 4.1.2) or selector: LDH labels of 1 to 63 octets, '_' allowed for service labels. */
    static boolean isDomain(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int k = 0; k < label.length(); k++) {
                char c = label.charAt(k);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- tag lists

    /** The tags of one field in order, names lower-cased (-06 7, 8: case insignificant), and the first problem. */
    private record Scan(Map<String, String> tags, String problem) {

        void check(String where) throws Dkim2PermanentError {
            if (problem != null) {
                throw new Dkim2PermanentError(where + " syntax error: " + problem);
            }
        }

        String required(String tag, String where) throws Dkim2PermanentError {
            String value = tags.get(tag);
            if (value == null) {
                throw new Dkim2PermanentError(where + " tag=" + tag + " missing");
            }
            return value;
        }
    }

    // -06 7, 8: tag-list = *([FWS] tag [FWS] ";" [FWS]); the last ";" may be missing (read leniently).
    private static Scan scan(String value) {
        Map<String, String> tags = new LinkedHashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        String problem = null;
        String[] specs = value.split(";", -1);
        for (int k = 0; k < specs.length && problem == null; k++) {
            String spec = specs[k];
            if (trimFws(spec).isEmpty()) {
                if (k == specs.length - 1) {
                    continue;
                }
                problem = "empty tag at position " + (k + 1);
                break;
            }
            int eq = spec.indexOf('=');
            if (eq < 0) {
                problem = "\"" + clip(trimFws(spec)) + "\" has no '='";
                break;
            }
            String name = lower(trimFws(spec.substring(0, eq)));
            if (!tagName(name)) {
                problem = "bad tag name \"" + clip(name) + "\"";
                break;
            }
            String v = trimFws(spec.substring(eq + 1));
            String bad = badValue(v);
            if (bad != null) {
                problem = "tag=" + name + " " + bad;
            } else if (seen.merge(name, 1, Integer::sum) > 1) {
                problem = "tag=" + name + " appears more than once";
            }
            tags.putIfAbsent(name, v);
        }
        return new Scan(tags, problem);
    }

    // x-tag-value = x-tag-char *([FWS] x-tag-char): visible ASCII but ';', folded whitespace between.
    private static String badValue(String v) {
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            if (valChar(c) || c == ' ' || c == '\t') {
                continue;
            }
            if (c == '\r' && k + 2 < v.length() && v.charAt(k + 1) == '\n' && (v.charAt(k + 2) == ' ' || v.charAt(k + 2) == '\t')) {
                k++;
                continue;
            }
            return "holds " + (c < 0x20 || c == 0x7f ? "a control character" : "a character outside ASCII")
                    + " (0x" + Integer.toHexString(c) + ")";
        }
        return null;
    }

    private static List<SigSet> sigSets(String value, String where) throws Dkim2PermanentError {
        String[] specs = value.split(",", -1);
        if (specs.length > MAX_SETS) {
            throw new Dkim2PermanentError(where + " has more selectors than allowed (" + specs.length + ")");
        }
        List<SigSet> sets = new ArrayList<>();
        Map<String, Integer> perAlgorithm = new HashMap<>();
        Set<String> selectors = new java.util.HashSet<>();
        for (String spec : specs) {
            String[] parts = spec.split(":", -1);
            if (parts.length != 3) {
                throw new Dkim2PermanentError(where + " syntax error: s= sig-set \"" + clip(trimFws(spec))
                        + "\" is not selector:algorithm:signature");
            }
            String selector = trimFws(parts[0]);
            String algorithm = trimFws(parts[1]);
            if (!isDomain(selector)) {
                throw new Dkim2PermanentError(where + " syntax error: s= selector \"" + clip(selector) + "\"");
            }
            if (!textString(algorithm)) {
                throw new Dkim2PermanentError(where + " syntax error: s= algorithm \"" + clip(algorithm) + "\"");
            }
            if (!selectors.add(lower(selector))) {
                // -06 8.9: "A Selector MUST NOT be present more than once".
                throw new Dkim2PermanentError(where + " has a duplicate selector " + selector);
            }
            if (perAlgorithm.merge(algorithm, 1, Integer::sum) > MAX_SETS_PER_ALGORITHM) {
                throw new Dkim2PermanentError(where + " has more selectors than allowed for " + algorithm);
            }
            sets.add(new SigSet(selector, algorithm, base64(parts[2], where, "s= " + selector + " signature")));
        }
        return sets;
    }

    private static String decodePath(String value, String where, String tag) throws Dkim2PermanentError {
        return new String(base64(value, where, tag + "="), StandardCharsets.UTF_8);
    }

    // A reverse-path or Forward-path as -06 8.5, 8.6 record them: in angle brackets, no whitespace or controls.
    private static boolean isPath(String path, boolean nullAllowed) {
        if (path.length() < 2 || path.charAt(0) != '<' || path.charAt(path.length() - 1) != '>') {
            return false;
        }
        String inside = path.substring(1, path.length() - 1);
        if (inside.isEmpty()) {
            return nullAllowed;
        }
        return inside.chars().allMatch(c -> c > 0x20 && c != 0x7f && c != '<' && c != '>')
                && (inside.lastIndexOf('@') > 0 && inside.lastIndexOf('@') < inside.length() - 1
                        || !nullAllowed && inside.equalsIgnoreCase("postmaster"));
    }

    private static long number(String value, String where, String tag, int maxDigits) throws Dkim2PermanentError {
        if (!digits(value) || value.length() > maxDigits) {
            throw new Dkim2PermanentError(where + " syntax error: " + tag + "=" + clip(value) + " is not a number of 1 to "
                    + maxDigits + " digits");
        }
        long n = Long.parseLong(value);
        if (n == 0 && !tag.equals(TAG_T)) {
            throw new Dkim2PermanentError(where + " syntax error: " + tag + "=0 (numbering starts at 1)");
        }
        return n;
    }

    private static boolean digits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    // tag-name / x-tag-name = ALPHA *(ALPHA / DIGIT / "_")
    private static boolean tagName(String name) {
        if (name.isEmpty() || !(name.charAt(0) >= 'a' && name.charAt(0) <= 'z')) {
            return false;
        }
        return name.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_');
    }

    // -06 2.14 textstring without its FWS: 1*ALPHADIGITD
    private static boolean textString(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                || c >= '0' && c <= '9' || c == '-' || c == '_');
    }

    private static boolean valChar(int c) {
        return c >= 0x21 && c <= 0x7e && c != ';';
    }

    static String trimFws(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && fws(s.charAt(start))) {
            start++;
        }
        while (end > start && fws(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static String withoutFws(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
            if (!fws(s.charAt(k))) {
                out.append(s.charAt(k));
            }
        }
        return out.toString();
    }

    private static boolean fws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static String fold(String base64) {
        StringBuilder out = new StringBuilder(base64.length() + base64.length() / FOLD * 3);
        for (int k = 0; k < base64.length(); k += FOLD) {
            out.append(k == 0 ? "" : "\r\n\t").append(base64, k, Math.min(base64.length(), k + FOLD));
        }
        return out.toString();
    }

    // Quoted values in errors are cut short: the field comes from whoever sent the message.
    private static String clip(String s) {
        String printable = s.replaceAll("[^\\x21-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }
}
