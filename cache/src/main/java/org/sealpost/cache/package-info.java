/**
 * TTL-aware caches on Caffeine, and the small durable store for pins and fetched policies.
 *
 * <p>{@link org.sealpost.cache.TtlCache} keeps each entry for the time-to-live its own value
 * carries ({@link org.sealpost.cache.Expiring}), clamped between a configured minimum and maximum,
 * so DNS answers, negative answers (RFC 2308) and fetched policies all expire when their source says.
 * {@link org.sealpost.cache.DurableStore} keeps small records across crashes, one synced file each.
 */
package org.sealpost.cache;
