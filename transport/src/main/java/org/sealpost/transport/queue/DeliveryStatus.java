package org.sealpost.transport.queue;

/** What became of one recipient in one delivery attempt. */
public enum DeliveryStatus {
    /** The next hop accepted responsibility (2xx). */
    DELIVERED,
    /** A temporary failure: retry later, until the queue lifetime ends. */
    DEFERRED,
    /** A permanent failure: report to the sender now. */
    BOUNCED
}
