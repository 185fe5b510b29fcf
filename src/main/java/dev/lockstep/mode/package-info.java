/**
 * The three processing modes (unsafe, seed, lockstep) as pipelines, and the operator's controls over
 * the lockstep queue.
 * Layer 4: may depend only on lower layers (docs/DESIGN.md, "Package layers"); uses config, fault,
 * lock, order, pipeline, queue, store, worker.
 */
package dev.lockstep.mode;
