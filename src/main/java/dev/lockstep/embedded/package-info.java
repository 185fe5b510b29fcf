/**
 * The Redis and MongoDB a process works with: embedded servers on free loopback ports, or external
 * ones, and their clients.
 * Layer 1: may depend only on lower layers (docs/DESIGN.md, "Package layers"); uses config.
 */
package dev.lockstep.embedded;
