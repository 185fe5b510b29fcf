/**
 * The composition root of one process: infrastructure, each mode's store, journal and pipeline, and
 * burst runs end to end, as the CLI and the console use them.
 * Layer 5: may depend only on lower layers (docs/DESIGN.md, "Package layers"); uses audit, burst,
 * config, embedded, fault, ingest, mode, pipeline, queue, store, worker.
 */
package dev.lockstep.runtime;
