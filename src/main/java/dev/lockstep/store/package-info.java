/**
 * Where events are applied on MongoDB: the fenced, idempotent store of the lockstep mode, the naive
 * store of the unsafe and naive-lock modes, and the per-event journal the timelines read.
 * Layer 1: may depend only on lower layers (docs/DESIGN.md, "Package layers"); uses order.
 */
package dev.lockstep.store;
