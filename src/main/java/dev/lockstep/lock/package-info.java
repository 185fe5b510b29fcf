/**
 * The leases this process holds on lanes, and the watchdog that renews them every lease/3.
 * Layer 2: may depend only on lower layers (docs/DESIGN.md, "Package layers"); uses queue.
 */
package dev.lockstep.lock;
