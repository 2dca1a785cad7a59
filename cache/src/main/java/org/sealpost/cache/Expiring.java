package org.sealpost.cache;

import java.time.Duration;

/** A cached value that says how long it may be kept, such as a DNS answer with its TTL. */
public interface Expiring {

    Duration timeToLive();
}
