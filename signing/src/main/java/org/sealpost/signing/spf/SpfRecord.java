package org.sealpost.signing.spf;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed SPF record (RFC 7208 4.6): its directives in order, and the redirect and exp modifiers. */
record SpfRecord(List<Term.Directive> directives, MacroString redirect, MacroString exp) {

    private static final Pattern MODIFIER = Pattern.compile("([A-Za-z][A-Za-z0-9_.-]*)=(.*)", Pattern.DOTALL);
    /** A trailing dual-cidr-length: /N for IPv4, //N for IPv6, no leading zeros (4.6.1). */
    private static final Pattern DUAL_CIDR = Pattern.compile("(.*?)(?:/(0|[1-9][0-9]{0,2}))?(?://(0|[1-9][0-9]{0,2}))?",
            Pattern.DOTALL);
    private static final Pattern CIDR = Pattern.compile("(.*?)(?:/(0|[1-9][0-9]{0,2}))?", Pattern.DOTALL);

    /** RFC 7208 4.5: the version section is "v=spf1", in any case, followed by a space or the end. */
    static boolean isSpf(String txt) {
        return txt.regionMatches(true, 0, "v=spf1", 0, 6) && (txt.length() == 6 || txt.charAt(6) == ' ');
    }

    /** Parses a record that {@link #isSpf}; any syntax error in any term is a permerror (4.6). */
    static SpfRecord parse(String txt) throws SyntaxError {
        List<Term.Directive> directives = new ArrayList<>();
        MacroString redirect = null;
        MacroString exp = null;
        // RFC 7208 4.6.1: terms are separated by one or more spaces (SP only, not other white space).
        for (String text : txt.substring(6).split(" ")) {
            if (text.isEmpty()) {
                continue;
            }
            Term term = term(text);
            if (term instanceof Term.Directive directive) {
                directives.add(directive);
            } else if (term instanceof Term.Modifier modifier) {
                // RFC 7208 6: redirect and exp may each appear at most once.
                if (modifier.name().equals("redirect")) {
                    if (redirect != null) {
                        throw new SyntaxError("more than one redirect= modifier");
                    }
                    redirect = modifier.value();
                } else if (modifier.name().equals("exp")) {
                    if (exp != null) {
                        throw new SyntaxError("more than one exp= modifier");
                    }
                    exp = modifier.value();
                }
            }
        }
        return new SpfRecord(List.copyOf(directives), redirect, exp);
    }

    private static Term term(String text) throws SyntaxError {
        Matcher modifier = MODIFIER.matcher(text);
        if (modifier.matches()) {
            String name = modifier.group(1).toLowerCase(Locale.ROOT);
            String value = modifier.group(2);
            // RFC 7208 6.1, 6.2: redirect and exp take a domain-spec; an unknown modifier's value is a macro-string.
            MacroString parsed = name.equals("redirect") || name.equals("exp") ? MacroString.domainSpec(value)
                    : MacroString.parse(value, false);
            return new Term.Modifier(name, parsed, text);
        }
        SpfResult qualifier = switch (text.charAt(0)) {
            case '+' -> SpfResult.PASS;
            case '-' -> SpfResult.FAIL;
            case '~' -> SpfResult.SOFTFAIL;
            case '?' -> SpfResult.NEUTRAL;
            default -> null;
        };
        String rest = qualifier == null ? text : text.substring(1);
        if (qualifier == null) {
            qualifier = SpfResult.PASS;
        }
        int end = 0;
        while (end < rest.length() && Character.isLetterOrDigit(rest.charAt(end)) && rest.charAt(end) < 0x80) {
            end++;
        }
        String name = rest.substring(0, end).toLowerCase(Locale.ROOT);
        String argument = rest.substring(end);
        Term.Mechanism mechanism = switch (name) {
            case "all" -> Term.Mechanism.ALL;
            case "include" -> Term.Mechanism.INCLUDE;
            case "a" -> Term.Mechanism.A;
            case "mx" -> Term.Mechanism.MX;
            case "ptr" -> Term.Mechanism.PTR;
            case "ip4" -> Term.Mechanism.IP4;
            case "ip6" -> Term.Mechanism.IP6;
            case "exists" -> Term.Mechanism.EXISTS;
            default -> throw new SyntaxError("'" + text + "' is not a mechanism or modifier (RFC 7208 4.6.1, 5)");
        };
        return switch (mechanism) {
            case ALL -> {
                if (!argument.isEmpty()) {
                    throw new SyntaxError("'" + text + "': all takes no argument");
                }
                yield new Term.Directive(qualifier, mechanism, null, null, 32, 128, text);
            }
            case INCLUDE, EXISTS -> {
                if (!argument.startsWith(":")) {
                    throw new SyntaxError("'" + text + "': " + name + " needs ':' and a domain name");
                }
                yield new Term.Directive(qualifier, mechanism, MacroString.domainSpec(argument.substring(1)), null, 32, 128,
                        text);
            }
            case PTR -> {
                MacroString domain = null;
                if (!argument.isEmpty()) {
                    if (!argument.startsWith(":")) {
                        throw new SyntaxError("'" + text + "': ptr takes ':' and a domain name, or nothing");
                    }
                    domain = MacroString.domainSpec(argument.substring(1));
                }
                yield new Term.Directive(qualifier, mechanism, domain, null, 32, 128, text);
            }
            case A, MX -> addressMechanism(qualifier, mechanism, argument, text);
            case IP4, IP6 -> network(qualifier, mechanism, argument, text);
        };
    }

    /** a and mx: [":" domain-spec] [dual-cidr-length] (RFC 7208 5.3, 5.4). */
    private static Term.Directive addressMechanism(SpfResult qualifier, Term.Mechanism mechanism, String argument,
            String text) throws SyntaxError {
        Matcher m = DUAL_CIDR.matcher(argument);
        if (!m.matches()) {
            throw new SyntaxError("'" + text + "': not a domain and CIDR length");
        }
        int cidr4 = length(m.group(2), 32, text);
        int cidr6 = length(m.group(3), 128, text);
        String spec = m.group(1);
        MacroString domain = null;
        if (!spec.isEmpty()) {
            if (!spec.startsWith(":")) {
                throw new SyntaxError("'" + text + "': the domain name follows a ':'");
            }
            domain = MacroString.domainSpec(spec.substring(1));
        }
        return new Term.Directive(qualifier, mechanism, domain, null, cidr4, cidr6, text);
    }

    /** ip4:network[/length], ip6:network[/length] (RFC 7208 5.6). */
    private static Term.Directive network(SpfResult qualifier, Term.Mechanism mechanism, String argument, String text)
            throws SyntaxError {
        if (!argument.startsWith(":")) {
            throw new SyntaxError("'" + text + "': " + mechanism.name().toLowerCase(Locale.ROOT) + " needs ':' and an address");
        }
        Matcher m = CIDR.matcher(argument.substring(1));
        if (!m.matches()) {
            throw new SyntaxError("'" + text + "': not an address and CIDR length");
        }
        boolean v4 = mechanism == Term.Mechanism.IP4;
        InetAddress network = v4 ? Addresses.ip4(m.group(1)) : Addresses.ip6(m.group(1));
        if (network == null || network.getAddress().length != (v4 ? 4 : 16)) {
            throw new SyntaxError("'" + text + "': '" + m.group(1) + "' is not an " + (v4 ? "IPv4" : "IPv6") + " address");
        }
        int cidr = length(m.group(2), v4 ? 32 : 128, text);
        return new Term.Directive(qualifier, mechanism, null, network, v4 ? cidr : 32, v4 ? 128 : cidr, text);
    }

    private static int length(String digits, int maximum, String text) throws SyntaxError {
        if (digits == null) {
            return maximum;
        }
        int length = Integer.parseInt(digits);
        if (length > maximum) {
            throw new SyntaxError("'" + text + "': a CIDR length of " + length + " (at most " + maximum + ")");
        }
        return length;
    }
}
