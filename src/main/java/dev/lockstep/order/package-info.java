/**
 * Order events as the handlers see them: topics, states and their ranks, the queue payload codec.
 * Layer 0 (docs/DESIGN.md, "Package layers"): depends on no other Lockstep package.
 */
package dev.lockstep.order;
