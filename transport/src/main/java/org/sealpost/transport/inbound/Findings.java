package org.sealpost.transport.inbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.sealpost.signing.arc.ArcResult;
import org.sealpost.signing.arc.ArcStatus;
import org.sealpost.signing.dkim.DkimResult;
import org.sealpost.signing.dkim2.Dkim2Result;
import org.sealpost.signing.dkim2.Dkim2Returned;
import org.sealpost.signing.dmarc.DmarcEvaluation;
import org.sealpost.signing.dmarc.DmarcVerdict;
import org.sealpost.signing.spf.SpfVerdict;

/**
 * What the checks of one message found, the input of the verdict.
 *
 * @param spf the SPF check of MAIL FROM, or of the HELO name for the null sender
 * @param mailFrom the MAIL FROM address, "" for the null sender
 * @param helo the HELO or EHLO name
 * @param dkim one result per DKIM-Signature, in the order of the fields; empty when none (or DKIM is off)
 * @param dkimOff whether DKIM verification is switched off ({@code dkim_verify = no})
 * @param arc the validation of the message's ARC chain (RFC 8617 5.2)
 * @param fromFields the addresses of each From field, one list per field
 * @param dmarc the DMARC verdict, empty when the From fields did not allow one (not exactly one
 *     field, or no address in it)
 * @param signing the signing policy of each From domain whose MX's held key set names selectors for it
 *     (docs/xkeys.md), or whose MX lookup failed; empty when there is none or the check is off
 * @param dkim2 the verification of the DKIM2 chain against this transaction's envelope (docs/dkim2.md);
 *     empty when DKIM2 verification is off ({@code dkim2_verify = no})
 * @param dkim2Report for a delivery status notification, whether the message it returns is one this
 *     system sent (-06 12.1.2, {@link Dkim2Returned}); empty when the check is off or does not apply
 */
record Findings(SpfVerdict spf, String mailFrom, String helo, List<DkimResult> dkim, boolean dkimOff, ArcResult arc,
        List<List<String>> fromFields, Optional<DmarcVerdict> dmarc, List<SigningResult> signing,
        Optional<Dkim2Result> dkim2, Optional<Dkim2Returned.Outcome> dkim2Report) {

    /** What a quoted-string or a comment of the field may not hold: anything but printable ASCII. */
    static final Pattern NOT_PRINTABLE = Pattern.compile("[^\\x20-\\x7e]");
    private static final Pattern DOT_ATOM = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9.:\\[\\]_-]+");

    /** A message without ARC fields. */
    static final ArcResult ARC_NONE = new ArcResult(ArcStatus.NONE, "no ARC sets", false, 0, List.of());

    Findings {
        dkim = List.copyOf(dkim);
        fromFields = List.copyOf(fromFields);
        signing = List.copyOf(signing);
    }

    /** Without a signing policy finding, and without DKIM2. */
    Findings(SpfVerdict spf, String mailFrom, String helo, List<DkimResult> dkim, boolean dkimOff, ArcResult arc,
            List<List<String>> fromFields, Optional<DmarcVerdict> dmarc) {
        this(spf, mailFrom, helo, dkim, dkimOff, arc, fromFields, dmarc, List.of());
    }

    /** Without a report check. */
    Findings(SpfVerdict spf, String mailFrom, String helo, List<DkimResult> dkim, boolean dkimOff, ArcResult arc,
            List<List<String>> fromFields, Optional<DmarcVerdict> dmarc, List<SigningResult> signing,
            Optional<Dkim2Result> dkim2) {
        this(spf, mailFrom, helo, dkim, dkimOff, arc, fromFields, dmarc, signing, dkim2, Optional.empty());
    }

    /** Without DKIM2. */
    Findings(SpfVerdict spf, String mailFrom, String helo, List<DkimResult> dkim, boolean dkimOff, ArcResult arc,
            List<List<String>> fromFields, Optional<DmarcVerdict> dmarc, List<SigningResult> signing) {
        this(spf, mailFrom, helo, dkim, dkimOff, arc, fromFields, dmarc, signing, Optional.empty());
    }

    /** The signing policy's property for the dmarc resinfo of {@code domain}, with a leading space; "" when none. */
    String signingProperty(String domain) {
        return signing.stream().filter(s -> s.domain().equalsIgnoreCase(domain)).findFirst()
                .map(s -> " " + s.property()).orElse("");
    }

    /** The resinfos of every check but DMARC, whose comment depends on what is applied. */
    List<String> resinfos() {
        List<String> out = new ArrayList<>();
        String reason = spf.reason().isEmpty() ? "" : " " + AuthenticationResults.comment(spf.reason());
        // RFC 8601 2.7.2: the identity checked; for the null sender that is the HELO name (RFC 7208 2.4).
        out.add("spf=" + spf.result().keyword() + reason
                + (mailFrom.isEmpty() ? " smtp.helo=" + value(helo) : " smtp.mailfrom=" + mailbox(mailFrom)));
        if (dkim.isEmpty()) {
            out.add(dkimOff ? "dkim=none (not verified: dkim_verify = no)" : "dkim=none");
        } else {
            dkim.forEach(result -> out.add(result.toAuthenticationResults()));
        }
        dkim2.ifPresent(result -> out.add(result.toAuthenticationResults()));
        out.add(arcResinfo());
        return out;
    }

    /**
     * RFC 8601 2.7, RFC 8617 10.1: {@code arc=none}; {@code arc=pass (i=N d=SEALER) header.oldest-pass=M}, the
     * comment naming the newest set and its sealer (the one {@code arc_trusted_sealers} is matched against);
     * {@code arc=fail (REASON)}.
     */
    String arcResinfo() {
        return switch (arc.status()) {
            case NONE -> "arc=none";
            case PASS -> "arc=pass" + arc.newest().map(set -> " " + AuthenticationResults.comment("i=" + set.instance()
                    + " d=" + set.domain())).orElse("") + " header.oldest-pass=" + arc.oldestPass();
            case FAIL -> "arc=fail " + AuthenticationResults.comment((arc.temporary() ? "temporary: " : "")
                    + arc.reason());
        };
    }

    /**
     * RFC 8601 2.2 pvalue: an address whose local part is a dot-atom as it is; otherwise only
     * "@domain" (2.7.2 allows the local part to be left out), so that no quoted local part can
     * write a ";" or a comment into the field.
     */
    static String mailbox(String address) {
        int at = address.lastIndexOf('@');
        String local = address.substring(0, Math.max(at, 0));
        String domain = address.substring(at + 1);
        if (!value(domain).equals(domain)) {
            return value(address);
        }
        return DOT_ATOM.matcher(local).matches() ? address : "@" + domain;
    }

    /** A token as it is (a domain or address literal, the usual HELO name), anything else a quoted-string. */
    static String value(String text) {
        if (TOKEN.matcher(text).matches()) {
            return text;
        }
        return "\"" + NOT_PRINTABLE.matcher(text).replaceAll("?").replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The DMARC evaluation that decides, when there is one. */
    Optional<DmarcEvaluation> applied() {
        return dmarc.map(DmarcVerdict::applied);
    }
}
