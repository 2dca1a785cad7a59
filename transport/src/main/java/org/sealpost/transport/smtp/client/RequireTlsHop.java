package org.sealpost.transport.smtp.client;

import java.util.Map;
import java.util.TreeMap;
import org.sealpost.keyexchange.policy.Decision;
import org.sealpost.keyexchange.policy.HostPolicy;
import org.sealpost.keyexchange.policy.TlsLevel;

/**
 * Which hosts a message with REQUIRETLS may go to (RFC 8689 4.2.1): the MX lookup DNSSEC-secure
 * or the destination under an MTA-STS policy; the host verified by DANE or by an enforced MTA-STS
 * policy; and the server announcing REQUIRETLS in its EHLO reply after STARTTLS. A host that fails
 * this is skipped for the message, and when every host is skipped the message bounces with
 * 5.7.30, the reason for each host in the report (RFC 8689 4.2.1).
 */
final class RequireTlsHop {

    static final String ENHANCED_CODE = "5.7.30";

    /** Why each host was skipped, in the order of the attempt's targets. */
    private final Map<Integer, String> skipped = new TreeMap<>();

    /** Why the policy decided for {@code target} does not qualify it, or null when it does. */
    static String unverified(Target target, HostPolicy policy, boolean mxSecure) {
        Decision decision = policy.decision();
        boolean dane = decision.decidedBy().equals("dane") && decision.level() == TlsLevel.DANE_ONLY
                && decision.verification().equals("dane");
        boolean mtaSts = decision.decidedBy().equals("mta-sts") && decision.level() == TlsLevel.VERIFY;
        if (!mxSecure && !mtaSts) {
            return target + ": the MX records are not DNSSEC-signed and no MTA-STS policy applies";
        }
        if (!dane && !mtaSts) {
            return target + ": not verified by DANE or an enforced MTA-STS policy (policy " + decision
                    + (decision.reason().isEmpty() ? "" : ": " + decision.reason()) + ")";
        }
        return null;
    }

    /** Why the open {@code connection} cannot take the message, or null when it announced REQUIRETLS inside TLS. */
    static String unannounced(SmtpConnection connection) {
        if (connection.tls() == null) {
            return connection.target() + ": no TLS";
        }
        return connection.ehloReply().hasKeyword("REQUIRETLS") ? null
                : connection.target() + ": does not announce REQUIRETLS after STARTTLS";
    }

    void skip(int index, String reason) {
        skipped.put(index, reason);
    }

    /** Whether every one of {@code targets} hosts was skipped for REQUIRETLS, rather than failed otherwise. */
    boolean allSkipped(int targets) {
        return skipped.size() == targets;
    }

    /** The diagnostic of the bounce: the text RFC 8689 registers for 5.7.30, then each host's reason. */
    String diagnostic() {
        return "REQUIRETLS support required: " + String.join("; ", skipped.values());
    }
}
