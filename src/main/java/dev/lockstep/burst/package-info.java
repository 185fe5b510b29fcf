/**
 * Seeded flash-sale bursts: the generator, the ground truth it implies, and the firers that deliver it
 * over HTTP or straight into a pipeline.
 * Layer 3: may depend only on lower layers (docs/DESIGN.md, "Package layers"); uses ingest, order,
 * pipeline.
 */
package dev.lockstep.burst;
