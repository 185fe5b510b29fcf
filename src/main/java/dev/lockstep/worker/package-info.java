/**
 * The worker pool: claims ready lanes, runs each lane's jobs in order, completes, retries or parks
 * them; the reaper recovers lanes whose lease expired.
 * Layer 3: may depend only on lower layers (docs/DESIGN.md, "Package layers"); uses config, lock,
 * queue, store.
 */
package dev.lockstep.worker;
