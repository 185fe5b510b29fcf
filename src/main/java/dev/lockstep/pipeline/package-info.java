/**
 * The ingest port every processing mode implements ({@link dev.lockstep.pipeline.Pipeline}) with its
 * delivery, result and run-counter types, so the ingest and the firers need no mode.
 * Layer 1: may depend only on lower layers (docs/DESIGN.md, "Package layers"); uses order.
 */
package dev.lockstep.pipeline;
