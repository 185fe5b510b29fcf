/**
 * The OS scheduling priority of background work: a thread lowers itself to nice 10 and what it starts
 * (threads, processes) inherits that, so work that can wait (the console's runtime and bursts, a
 * worker's handlers and its embedded store) yields the cores to work a person or a webhook sender
 * waits on (the console's window, the ingest's answers).
 * Layer 0: depends on nothing (docs/DESIGN.md, "Package layers").
 */
package dev.lockstep.priority;
