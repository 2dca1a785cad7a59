package org.sealpost.keyexchange.mtasts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An MTA-STS policy (RFC 8461 3.2) as fetched: its mode, MX patterns and max_age, the id of the
 * TXT record it was fetched for, and when it was fetched. It is valid until {@link #expires()}.
 */
public record StsPolicy(String id, StsMode mode, List<String> mx, long maxAgeSeconds, Instant fetched) {

    /** RFC 8461 3.2: max_age has a maximum value of 31557600 (about a year); larger values are clamped. */
    public static final long MAX_AGE_LIMIT = 31_557_600L;

    /** sts-policy-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / "."). */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    /** sts-policy-max-age-value = 1*10(DIGIT). */
    private static final Pattern MAX_AGE = Pattern.compile("[0-9]{1,10}");
    /** sts-policy-mx-value = ["*."] Domain, with Domain as RFC 5321 4.1.2 (letters, digits, hyphens). */
    private static final Pattern MX = Pattern.compile(
            "(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    public StsPolicy {
        mx = List.copyOf(mx);
    }

    /** When the policy stops being valid: its fetch time plus max_age (RFC 8461 3.2, 5.1). */
    public Instant expires() {
        return fetched.plusSeconds(maxAgeSeconds);
    }

    public boolean isValidAt(Instant now) {
        return now.isBefore(expires());
    }

    /**
     * Whether an MX host matches one of the policy's patterns. RFC 8461 4.1: a pattern is a host
     * name, or "*." and a name, which stands for exactly one leftmost label ("*.example.com"
     * matches "mx.example.com" but neither "example.com" nor "a.b.example.com"); names compare
     * without regard to case and to a final dot.
     */
    public boolean matches(String mxHost) {
        String host = normalize(mxHost);
        for (String pattern : mx) {
            String p = normalize(pattern);
            if (p.startsWith("*.")) {
                int dot = host.indexOf('.');
                if (dot > 0 && host.substring(dot + 1).equals(p.substring(2))) {
                    return true;
                }
            } else if (host.equals(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether delivery to this MX host may go ahead under the policy: in enforce mode only to a
     * matching host; in testing mode anyway, a mismatch being reported (RFC 8461 5); always in none.
     */
    public boolean allows(String mxHost) {
        return mode != StsMode.ENFORCE || matches(mxHost);
    }

    private static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /**
     * Parses a policy body strictly (RFC 8461 3.2): lines of "key: value" ended by CRLF or LF;
     * version STSv1, mode and max_age exactly once each, one or more mx lines (none needed in
     * mode none); keys and values are case-sensitive; unknown keys are extensions and ignored.
     */
    public static StsPolicy parse(String body, String id, Instant fetched) throws StsException {
        String version = null;
        StsMode mode = null;
        Long maxAge = null;
        List<String> mx = new ArrayList<>();
        String[] lines = body.split("\r?\n", -1);
        for (int number = 1; number <= lines.length; number++) {
            String line = lines[number - 1];
            if (line.isEmpty()) {
                continue; // the end of the last line, or a blank line
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw invalid(number, "'" + line + "' is not key: value");
            }
            String key = line.substring(0, colon);
            // field-delim = ":" *WSP; trailing white space is allowed before the line end.
            String value = line.substring(colon + 1).strip();
            if (!KEY.matcher(key).matches()) {
                throw invalid(number, "'" + key + "' is not a valid key");
            }
            if (value.isEmpty() || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw invalid(number, "the value of " + key + " is empty or holds control characters");
            }
            switch (key) {
                case "version" -> {
                    once(version, key, number);
                    if (!value.equals("STSv1")) {
                        throw invalid(number, "version '" + value + "' is not STSv1");
                    }
                    version = value;
                }
                case "mode" -> {
                    once(mode, key, number);
                    mode = switch (value) {
                        case "enforce" -> StsMode.ENFORCE;
                        case "testing" -> StsMode.TESTING;
                        case "none" -> StsMode.NONE;
                        default -> throw invalid(number, "mode '" + value + "' is not enforce, testing or none");
                    };
                }
                case "max_age" -> {
                    once(maxAge, key, number);
                    if (!MAX_AGE.matcher(value).matches()) {
                        throw invalid(number, "max_age '" + value + "' is not a number of seconds (up to 10 digits)");
                    }
                    maxAge = Math.min(Long.parseLong(value), MAX_AGE_LIMIT);
                }
                case "mx" -> {
                    if (!MX.matcher(value).matches() || value.length() > 255) {
                        throw invalid(number, "mx '" + value + "' is not a host name or *. and a host name");
                    }
                    mx.add(value.toLowerCase(Locale.ROOT));
                }
                default -> {
                    // RFC 8461 3.2: an extension key, ignored.
                }
            }
        }
        if (version == null) {
            throw invalid(0, "it has no version line");
        }
        if (mode == null) {
            throw invalid(0, "it has no mode line");
        }
        if (maxAge == null) {
            throw invalid(0, "it has no max_age line");
        }
        if (mx.isEmpty() && mode != StsMode.NONE) {
            throw invalid(0, "it has no mx line, which mode " + mode.text() + " needs");
        }
        return new StsPolicy(id, mode, mx, maxAge, fetched);
    }

    private static void once(Object seen, String key, int number) throws StsException {
        if (seen != null) {
            throw invalid(number, key + " appears more than once");
        }
    }

    private static StsException invalid(int line, String why) {
        return new StsException(StsFailure.POLICY_INVALID, "invalid policy" + (line > 0 ? " at line " + line : "")
                + ": " + why + " (RFC 8461 3.2)");
    }

    /** The policy file text, as it would be published (LF line ends). */
    public String text() {
        StringBuilder text = new StringBuilder("version: STSv1\nmode: ").append(mode.text()).append('\n');
        for (String pattern : mx) {
            text.append("mx: ").append(pattern).append('\n');
        }
        return text.append("max_age: ").append(maxAgeSeconds).append('\n').toString();
    }

    /** The durable form: id and fetch time, then the policy text. */
    byte[] encode() {
        return ("id: " + id + "\nfetched: " + fetched.getEpochSecond() + "\n" + text()).getBytes(StandardCharsets.UTF_8);
    }

    static StsPolicy decode(byte[] stored) throws StsException {
        String[] parts = new String(stored, StandardCharsets.UTF_8).split("\n", 3);
        if (parts.length < 3 || !parts[0].startsWith("id: ") || !parts[1].startsWith("fetched: ")) {
            throw new StsException(StsFailure.POLICY_INVALID, "stored policy lacks its id or fetch time");
        }
        try {
            Instant fetched = Instant.ofEpochSecond(Long.parseLong(parts[1].substring("fetched: ".length())));
            return parse(parts[2], parts[0].substring("id: ".length()), fetched);
        } catch (NumberFormatException e) {
            throw new StsException(StsFailure.POLICY_INVALID, "stored policy has a bad fetch time");
        }
    }
}
