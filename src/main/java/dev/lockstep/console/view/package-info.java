/**
 * The Swing views (panels, tables, charts, the timeline); they paint snapshots and run actions off the
 * EDT.
 * Layer 8: may depend only on lower layers (docs/DESIGN.md, "Package layers"); uses console.live,
 * console.backend, order, pipeline, queue, store.
 */
package dev.lockstep.console.view;
