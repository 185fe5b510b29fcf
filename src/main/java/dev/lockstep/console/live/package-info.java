/**
 * Off the EDT: the poller that reads the backend into immutable snapshots, and the EDT stall monitor.
 * Layer 7: may depend only on lower layers (docs/DESIGN.md, "Package layers"); uses console.backend,
 * pipeline, queue.
 */
package dev.lockstep.console.live;
