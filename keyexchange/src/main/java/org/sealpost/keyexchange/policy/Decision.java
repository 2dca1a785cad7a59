package org.sealpost.keyexchange.policy;

/**
 * What the policies require of one MX host before it is contacted.
 *
 * @param level the TLS level the connection must reach
 * @param decidedBy the name of the policy (as in {@link Policies#ORDER}) that set the level last
 * @param verification how the peer will be verified: "none", "dane", "verify", "secure", "xkeys"
 * @param fixed whether the operator fixed the level for this destination (a static tls_policy):
 *     policies that discover a stronger level (MTA-STS, XKEYS pins) then leave it as it is
 * @param reason why the deciding policy decided so, for the logs and `sealpost check` ("" for none)
 * @param published the published policy (DANE's TLSA records, an MTA-STS policy, or none) the
 *     session is held to, under which TLS-RPT counts its outcome
 */
public record Decision(TlsLevel level, String decidedBy, String verification, boolean fixed, String reason,
        PublishedPolicy published) {

    /** A decision held to no published policy. */
    public Decision(TlsLevel level, String decidedBy, String verification, boolean fixed, String reason) {
        this(level, decidedBy, verification, fixed, reason, PublishedPolicy.NONE);
    }

    /** Before any policy was asked: nothing is required. */
    public static Decision undecided() {
        return new Decision(TlsLevel.NONE, "", "none", false, "");
    }

    /** Whether no policy has decided yet (the default level then applies). */
    public boolean undecidedYet() {
        return decidedBy.isEmpty();
    }

    /** The same decision, now made by {@code policy} at {@code level}, verified as {@code verification}. */
    public Decision raisedTo(TlsLevel raised, String policy, String how, String why) {
        return new Decision(raised, policy, how, fixed, why, published);
    }

    /** The same decision, held to {@code policy} for TLS reporting. */
    public Decision publishedAs(PublishedPolicy policy) {
        return new Decision(level, decidedBy, verification, fixed, reason, policy);
    }

    @Override
    public String toString() {
        return level.configName() + " (" + decidedBy + ")";
    }
}
