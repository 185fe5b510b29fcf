/**
 * Logging helpers shared by every component that can fail under load: {@link dev.lockstep.logging.LogLimiter}
 * turns a failure per request or per event into one line per kind per interval.
 */
package dev.lockstep.logging;
