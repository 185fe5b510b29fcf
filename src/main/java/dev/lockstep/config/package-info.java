/**
 * The validated configuration of one process: packaged defaults, a file, the environment, flags.
 * Layer 0 (docs/DESIGN.md, "Package layers"): depends on no other Lockstep package.
 */
package dev.lockstep.config;
