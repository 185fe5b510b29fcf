package dev.lockstep.burst;

import org.HdrHistogram.Histogram;

/**
 * What firing a burst saw from the sending side.
 *
 * @param sent       deliveries fired, duplicates included
 * @param queued     answered as queued
 * @param duplicates answered as duplicates (dedup hits)
 * @param rejected   refused (4xx/5xx, or an exception on the direct path)
 * @param ackLatency send→ack latency, microseconds
 * @param seconds    wall time of the firing
 */
public record FireStats(long sent, long queued, long duplicates, long rejected, Histogram ackLatency, double seconds) {
}
