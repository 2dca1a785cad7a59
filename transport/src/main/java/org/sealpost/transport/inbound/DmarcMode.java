package org.sealpost.transport.inbound;

import java.util.Locale;

/** What an mx listener does with the DMARC verdict ({@code listener.NAME.dmarc_policy}, docs/verification.md). */
public enum DmarcMode {
    /** Refuse, defer and quarantine as the sender's policy asks. */
    ENFORCE,
    /** Accept everything DMARC would refuse, defer or quarantine; the field and the log say what would have happened. */
    REPORT;

    /** The name in the configuration: "enforce" or "report". */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
