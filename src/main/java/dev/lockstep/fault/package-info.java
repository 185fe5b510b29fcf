/**
 * Injected faults for the demo and the tests: the paused holder that outlives its lease.
 * Layer 0 (docs/DESIGN.md, "Package layers"): depends on no other Lockstep package.
 */
package dev.lockstep.fault;
