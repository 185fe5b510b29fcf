/**
 * The queue benchmark (a no-op handler; every event checked done once and in order) and the same
 * workload on BullMQ for comparison.
 * Layer 4: may depend only on lower layers (docs/DESIGN.md, "Package layers"); uses embedded, lock,
 * order, pipeline, queue, store, worker.
 */
package dev.lockstep.bench;
