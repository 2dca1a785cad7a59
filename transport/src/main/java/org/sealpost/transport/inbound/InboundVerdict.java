package org.sealpost.transport.inbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sealpost.signing.arc.ArcSetResult;
import org.sealpost.signing.arc.TrustedSealers;
import org.sealpost.signing.dkim2.Dkim2Returned;
import org.sealpost.signing.dmarc.DmarcEvaluation;
import org.sealpost.signing.dmarc.DmarcResult;
import org.sealpost.signing.dmarc.Policy;
import org.sealpost.transport.queue.Additions;
import org.sealpost.transport.smtp.server.MessageFilter;

/**
 * The one verdict on an arriving message, given before the reply to its end (docs/verification.md):
 * what is done, the reply when it is refused or deferred, the Authentication-Results field, and the
 * quarantine marker.
 *
 * @param action what the listener does
 * @param reply the SMTP reply for a reject or defer, "" otherwise
 * @param results the Authentication-Results field
 * @param quarantine the value of the X-Sealpost-Quarantine field, "" when none is added
 * @param reportOnly under {@code dmarc_policy = report}: what enforce would have done, "" otherwise
 */
public record InboundVerdict(Action action, String reply, AuthenticationResults results, String quarantine,
        String reportOnly) {

    /** What the listener does with the message. */
    public enum Action { ACCEPT, QUARANTINE, REJECT, DEFER }

    /** The header field that marks a message DMARC asks to quarantine; Postfix acts on it with header_checks. */
    public static final String QUARANTINE_FIELD = "X-Sealpost-Quarantine";

    /** The verdict table (docs/verification.md), with no trusted ARC sealer. */
    static InboundVerdict decide(Findings found, String authservId, DmarcMode mode) {
        return decide(found, authservId, mode, new TrustedSealers(List.of()));
    }

    /**
     * The verdict table (docs/verification.md). RFC 9989 local policy and RFC 8617 7.2: a DMARC failure
     * that would be rejected or quarantined is accepted when the chain passes and its newest set, sealed
     * by one of {@code trusted}, recorded dmarc=pass (the message was forwarded or passed through a list).
     */
    static InboundVerdict decide(Findings found, String authservId, DmarcMode mode, TrustedSealers trusted) {
        return decide(found, authservId, mode, trusted, SigningPolicyMode.REPORT);
    }

    /**
     * The same, then the signing policy of the From domains' MX hosts (docs/xkeys.md): under enforce, a domain
     * whose held key set names DKIM selectors and that no signature by it passed for is refused; a failed MX
     * lookup defers only when it decides, that is when no signature by the domain passed. It is a setting of
     * its own: {@code dmarc_policy = report} does not soften it.
     */
    static InboundVerdict decide(Findings found, String authservId, DmarcMode mode, TrustedSealers trusted,
            SigningPolicyMode signing) {
        InboundVerdict verdict = reportCheck(found, decideDmarc(found, authservId, mode, trusted), mode);
        if (signing != SigningPolicyMode.ENFORCE) {
            return verdict;
        }
        InboundVerdict strictest = verdict;
        for (SigningResult each : found.signing()) {
            InboundVerdict asked = switch (each.result()) {
                case FAIL -> new InboundVerdict(Action.REJECT, each.rejectReply(), verdict.results, "", verdict.reportOnly);
                case TEMPERROR -> each.signed() ? verdict
                        : new InboundVerdict(Action.DEFER, each.deferReply(), verdict.results, "", verdict.reportOnly);
                case PASS -> verdict;
            };
            if (rank(asked.action) > rank(strictest.action)) {
                strictest = asked;
            }
        }
        return strictest;
    }

    /**
     * -06 12.1.2: a DKIM2-signed report about a message this system did not send, or sent otherwise
     * than returned, is refused (550 5.7.1): it is backscatter or a forgery. One that cannot be
     * checked for a DNS reason is deferred. Under {@code dmarc_policy = report} both are only recorded.
     */
    private static InboundVerdict reportCheck(Findings found, InboundVerdict verdict, DmarcMode mode) {
        if (found.dkim2Report().isEmpty() || verdict.action == Action.REJECT) {
            return verdict;
        }
        Dkim2Returned.Outcome outcome = found.dkim2Report().get();
        String reason = printable(outcome.reason());
        InboundVerdict asked = switch (outcome.verdict()) {
            case FAIL -> new InboundVerdict(Action.REJECT, "550 5.7.1 Error: this delivery status notification is not "
                    + "about a message sent from here: " + reason + " (draft-ietf-dkim-dkim2-spec-06 12.1.2)", verdict.results,
                    "", verdict.reportOnly);
            case TEMPERROR -> new InboundVerdict(Action.DEFER, "451 4.7.5 Error: cannot check the message this delivery "
                    + "status notification returns now (" + reason + "); try again later", verdict.results, "",
                    verdict.reportOnly);
            default -> verdict;
        };
        if (asked == verdict || rank(asked.action) <= rank(verdict.action)) {
            return verdict;
        }
        if (mode == DmarcMode.REPORT) {
            return new InboundVerdict(verdict.action, verdict.reply, verdict.results, verdict.quarantine,
                    (verdict.reportOnly.isEmpty() ? "" : verdict.reportOnly + "; ") + asked.action.name()
                            .toLowerCase(java.util.Locale.ROOT) + " " + asked.reply);
        }
        return asked;
    }

    private static InboundVerdict decideDmarc(Findings found, String authservId, DmarcMode mode, TrustedSealers trusted) {
        List<String> resinfos = new ArrayList<>(found.resinfos());
        if (found.dmarc().isEmpty()) {
            // RFC 5322 3.6: exactly one From field; RFC 9989 4.4 leaves other messages out of DMARC's reach.
            int fields = found.fromFields().size();
            String why = fields != 1 ? "RFC 5322 3.6 asks for exactly one From field; the message has " + fields
                    : "the From field has no address that can be read (RFC 5322 3.6.2)";
            resinfos.add("dmarc=none " + AuthenticationResults.comment("not evaluated: " + why));
            AuthenticationResults field = new AuthenticationResults(authservId, resinfos);
            String reply = "550 5.6.0 Error: " + why;
            return mode == DmarcMode.ENFORCE ? new InboundVerdict(Action.REJECT, reply, field, "", "")
                    : new InboundVerdict(Action.ACCEPT, "", field, "", "reject " + reply);
        }
        DmarcEvaluation applied = found.applied().orElseThrow();
        Optional<ArcSetResult> vouch = trusted.vouchesForDmarc(found.arc());
        InboundVerdict enforced = enforce(applied);
        Optional<ArcSetResult> pending = trusted.mightVouchForDmarc(found.arc());
        if (pending.isPresent() && overridable(applied)) {
            // The failure hangs on a chain that could not be checked for a DNS reason, and a trusted sealer's
            // dmarc=pass would rescue it once it can: the decision waits, as it does for a DMARC temperror.
            enforced = new InboundVerdict(Action.DEFER, "451 4.7.0 Error: cannot verify the ARC chain sealed by "
                    + pending.get().domain() + " now (" + printable(found.arc().reason()) + "); try again later",
                    null, "", "");
        }
        if (vouch.isPresent() && overridable(applied)) {
            // The rescued failure no longer decides; the strictest of the other From domains does (a temperror still defers).
            applied = null;
            enforced = new InboundVerdict(Action.ACCEPT, "", null, "", "");
            for (DmarcEvaluation each : found.dmarc().get().evaluations()) {
                InboundVerdict other = overridable(each) ? enforced : enforce(each);
                if (rank(other.action) > rank(enforced.action)) {
                    applied = each;
                    enforced = other;
                }
            }
        }
        for (DmarcEvaluation each : found.dmarc().get().evaluations()) {
            Optional<String> sealer = vouch.filter(v -> overridable(each)).map(ArcSetResult::domain);
            resinfos.add((mode == DmarcMode.ENFORCE ? sealer.map(s -> overridden(each, s))
                    .orElseGet(each::toAuthenticationResults)
                    : reported(each, each == applied ? enforced.action : Action.ACCEPT, sealer))
                    + found.signingProperty(each.authorDomain()));
        }
        AuthenticationResults field = new AuthenticationResults(authservId, resinfos);
        if (mode == DmarcMode.REPORT) {
            String would = enforced.action == Action.ACCEPT ? "" : enforced.action.name().toLowerCase(java.util.Locale.ROOT)
                    + (enforced.reply.isEmpty() ? "" : " " + enforced.reply);
            return new InboundVerdict(Action.ACCEPT, "", field, "", would);
        }
        return new InboundVerdict(enforced.action, enforced.reply, field, enforced.quarantine, "");
    }

    /** RFC 9989 5.3: what the Domain Owner's policy asks for, applied. */
    private static InboundVerdict enforce(DmarcEvaluation e) {
        String domain = e.authorDomain();
        if (e.result() == DmarcResult.FAIL && e.disposition() == Policy.REJECT) {
            return new InboundVerdict(Action.REJECT, "550 5.7.1 Error: the DMARC policy of " + domain
                    + " is p=reject, and neither SPF nor DKIM authenticated " + domain, null, "", "");
        }
        if (e.result() == DmarcResult.FAIL && e.disposition() == Policy.QUARANTINE) {
            String asked = e.policy().map(Policy::token).orElse("quarantine");
            return new InboundVerdict(Action.QUARANTINE, "", null, "dmarc p=" + asked + (e.testing() ? " t=y" : "")
                    + " dis=quarantine header.from=" + domain, "");
        }
        // A temperror decides only when the policy that would apply is unknown or enforced; under p=none it is recorded.
        if (e.result() == DmarcResult.TEMPERROR && e.policy().map(p -> p != Policy.NONE).orElse(true)) {
            return new InboundVerdict(Action.DEFER, "451 4.7.0 Error: cannot check the DMARC policy of " + domain
                    + " now (" + printable(e.reason()) + "); try again later", null, "", "");
        }
        return new InboundVerdict(Action.ACCEPT, "", null, "", "");
    }

    /** How strict an action is, for several From domains (docs/verification.md "What is checked"). */
    private static int rank(Action action) {
        return switch (action) {
            case ACCEPT -> 0;
            case QUARANTINE -> 1;
            case DEFER -> 2;
            case REJECT -> 3;
        };
    }

    /** A failure the policy would act on (reject or quarantine), the only kind a trusted sealer rescues. */
    private static boolean overridable(DmarcEvaluation e) {
        return e.result() == DmarcResult.FAIL && (e.disposition() == Policy.REJECT || e.disposition() == Policy.QUARANTINE);
    }

    /**
     * A failure rescued by a trusted sealer: the result stays fail (DMARC did fail here), dis= is what was
     * applied (none), and the comment names the sealer, in the "p= dis=" comment readers already parse:
     * {@code dmarc=fail (p=reject dis=none; overridden by trusted ARC sealer list.example) header.from=...}.
     */
    private static String overridden(DmarcEvaluation e, String sealer) {
        StringBuilder out = new StringBuilder("dmarc=").append(e.result().token()).append(" (");
        e.policy().ifPresent(p -> out.append("p=").append(p.token()).append(" dis=none; "));
        return out.append(overrideNote(sealer)).append(") header.from=").append(e.authorDomain()).toString();
    }

    private static String overrideNote(String sealer) {
        return "overridden by trusted ARC sealer " + sealer.replaceAll("[^A-Za-z0-9.-]", "?");
    }

    /** Under report: dis= is what was applied (none), the comment says what enforce would have done. */
    private static String reported(DmarcEvaluation e, Action would, Optional<String> sealer) {
        StringBuilder out = new StringBuilder("dmarc=").append(e.result().token()).append(" (");
        e.policy().ifPresent(p -> out.append("p=").append(p.token()).append(" dis=none; "));
        out.append("dmarc_policy=report");
        if (would != Action.ACCEPT) {
            out.append(", would ").append(would.name().toLowerCase(java.util.Locale.ROOT));
        }
        sealer.ifPresent(s -> out.append(", ").append(overrideNote(s)));
        return out.append(") header.from=").append(e.authorDomain()).toString();
    }

    /** A reason from DNS or a record, fit for a one-line SMTP reply. */
    private static String printable(String text) {
        String clean = text.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
    }

    /** The Authentication-Results field on one line, as {@code sealpost auth check} prints it. */
    public String authenticationResults() {
        return results.line();
    }

    /** {@code verdict: accept}, {@code verdict: quarantine}, {@code verdict: reject CODE ENHANCED TEXT}, ... */
    public String verdictLine() {
        return "verdict: " + action.name().toLowerCase(java.util.Locale.ROOT) + (reply.isEmpty() ? "" : " " + reply);
    }

    /** What the session does: refuse with the reply, or store the fields before the message. */
    MessageFilter.Outcome outcome() {
        if (action == Action.REJECT || action == Action.DEFER) {
            return MessageFilter.Outcome.refuse(reply);
        }
        List<String> prepend = new ArrayList<>();
        prepend.add(results.field());
        if (!quarantine.isEmpty()) {
            prepend.add(QUARANTINE_FIELD + ": " + quarantine + "\r\n");
        }
        // The results stay with the queued message too (RFC 8601 form), for the later steps that read them.
        return MessageFilter.Outcome.accept(new Additions(prepend, results.results()));
    }

    /** The log line's tail: every check's result and the verdict. */
    String logText(Optional<DmarcEvaluation> applied) {
        return String.join("; ", results.results()) + applied.map(e -> " " + AuthenticationResults.comment(e.reason()))
                .orElse("") + "; verdict=" + action.name().toLowerCase(java.util.Locale.ROOT)
                + (reply.isEmpty() ? "" : " " + reply) + (reportOnly.isEmpty() ? "" : " (dmarc_policy=report: would "
                + reportOnly + ")");
    }
}
