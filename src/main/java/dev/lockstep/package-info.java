/**
 * The entry point: {@code Main} dispatches to the commands of {@code cli} and {@code bench}.
 * Layer 11: may depend only on lower layers (docs/DESIGN.md, "Package layers"); uses cli, bench,
 * config.
 */
package dev.lockstep;
