/**
 * The console window: frame, theme, start-up and screenshots, composed from its subpackages.
 * Layer 9: may depend only on lower layers (docs/DESIGN.md, "Package layers"); uses console.view,
 * console.live, console.backend, pipeline, queue.
 */
package dev.lockstep.console;
