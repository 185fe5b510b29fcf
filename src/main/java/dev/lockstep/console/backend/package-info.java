/**
 * Everything the console reads and does, behind one interface: on the real stack, or in memory for
 * tests.
 * Layer 6: may depend only on lower layers (docs/DESIGN.md, "Package layers"); uses runtime, audit,
 * burst, config, embedded, fault, ingest, mode, pipeline, queue, store.
 */
package dev.lockstep.console.backend;
