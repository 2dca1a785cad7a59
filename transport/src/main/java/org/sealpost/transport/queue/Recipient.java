package org.sealpost.transport.queue;

import java.util.Set;

/**
 * One envelope recipient with its DSN parameters (RFC 3461 4): NOTIFY in {@code notifyOn} (empty when absent) and
 * ORCPT as given, "addr-type;xtext" ("" when absent).
 */
public record Recipient(String address, Set<Notify> notifyOn, String orcpt) {

    public Recipient {
        notifyOn = Set.copyOf(notifyOn);
    }

    public static Recipient of(String address) {
        return new Recipient(address, Set.of(), "");
    }

    /** The domain part, lower case: what delivery routes by. */
    public String domain() {
        return address.substring(address.lastIndexOf('@') + 1).toLowerCase(java.util.Locale.ROOT);
    }

    /** RFC 3461 4.1: a failure report is sent unless NOTIFY was given without FAILURE. */
    public boolean wantsFailureReport() {
        return notifyOn.isEmpty() || notifyOn.contains(Notify.FAILURE);
    }
}
