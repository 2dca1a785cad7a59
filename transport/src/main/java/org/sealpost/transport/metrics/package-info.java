/**
 * What the relay counts and how it is doing, for the operator's monitoring (docs/operations.md,
 * "Metrics and health"): {@link org.sealpost.transport.metrics.Metrics} holds every metric name and
 * records the events the rest of the relay reports to it in one-line calls;
 * {@link org.sealpost.transport.metrics.MetricsServer} serves them in the Prometheus text format at
 * {@code /metrics} and the {@link org.sealpost.transport.metrics.Health} checks at {@code /health} on
 * {@code metrics_address}.
 */
package org.sealpost.transport.metrics;
