/**
 * The serialized per-order lanes on Redis: one Lua script per state change, the partitioned key
 * layout, O(1) counters and bounded reads for the console.
 * Layer 1: may depend only on lower layers (docs/DESIGN.md, "Package layers"); uses order.
 */
package dev.lockstep.queue;
