/**
 * Prometheus metrics for the signaling server, built with Micrometer: {@link dev.mvp.signaling.metrics.SignalingMetrics}
 * for embedders, {@link dev.mvp.signaling.metrics.MetricsPlugin} for the command line.
 */
package dev.mvp.signaling.metrics;
