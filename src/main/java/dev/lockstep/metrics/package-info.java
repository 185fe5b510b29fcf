/**
 * This process's metrics in the Prometheus text format ({@link dev.lockstep.metrics.ProcessMetrics}):
 * one Micrometer registry per process, tagged with the process id, that the ingest serves on
 * {@code GET /metrics}. Layer 0: it knows Micrometer and nothing of Lockstep's other packages; the
 * layers above record into it or bind their own counters to it (docs/DESIGN.md, "Metrics").
 */
package dev.lockstep.metrics;
