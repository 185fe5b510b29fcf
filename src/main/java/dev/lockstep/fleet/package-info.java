/**
 * The fleet: which worker processes (and consoles running workers) share a queue, read from the
 * heartbeats each writes to Redis with a time to live ({@link dev.lockstep.fleet.WorkerRegistry}).
 * A process whose heartbeat lapses is gone; its leases lapse and are recovered as always
 * (docs/DESIGN.md, "The fleet").
 */
package dev.lockstep.fleet;
