/**
 * TTL-aware caches on Caffeine and the small durable store for pins and fetched policies.
 * The DNSSEC issue fills this module in; it is empty until then.
 */
package org.sealpost.cache;
