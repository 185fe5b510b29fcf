/**
 * The picocli commands (console, worker, burst, compare, screenshots, servers, admin), their progress line on stderr and
 * the logback appender that keeps log lines off it, and the relaunch of the console in a bounded child JVM.
 * Layer 10: may depend only on lower layers (docs/DESIGN.md, "Package layers"); uses runtime, console,
 * console.backend, console.view, audit, burst, config, embedded, fault, ingest, mode, pipeline, queue.
 */
package dev.lockstep.cli;
