/**
 * The integrity audit: compares a run's store with its burst's ground truth and reports in the audit
 * terms (docs/DESIGN.md, "Audit terms").
 * Layer 4: may depend only on lower layers (docs/DESIGN.md, "Package layers"); uses burst, order,
 * pipeline, store.
 */
package dev.lockstep.audit;
