/**
 * Virtual time for the whole machine: one {@link dev.strata.emulator.clock.VirtualClock} that every device reads,
 * an {@link dev.strata.emulator.clock.EventScheduler} for device timers, and a
 * {@link dev.strata.emulator.clock.MachineClock} that advances time from executed instructions (deterministic) or
 * from the host clock (realtime). Nothing else in the emulator looks at host time.
 */
package dev.strata.emulator.clock;
