package org.sealpost.transport.inbound;

import java.util.Locale;

/** What an mx listener does with the signing policy of the sender's MX ({@code xkeys_signing_policy}, docs/xkeys.md). */
public enum SigningPolicyMode {
    /** The finding goes into the Authentication-Results field and the log; the message is accepted. */
    REPORT,
    /** A message the policy asks to be signed and that is not is refused (550 5.7.1). */
    ENFORCE,
    /** The pins are not consulted for arriving mail. */
    OFF;

    /** The name in the configuration: "report", "enforce" or "off". */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
