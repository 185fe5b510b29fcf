/**
 * The picocli commands: console, worker, burst, compare, screenshots.
 * Layer 10: may depend only on lower layers (docs/DESIGN.md, "Package layers"); uses runtime, console,
 * console.backend, audit, burst, config, embedded, fault, ingest, pipeline.
 */
package dev.lockstep.cli;
