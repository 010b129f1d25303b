/**
 * Instruction and interrupt traces ({@code strata run --trace}): the {@link dev.strata.emulator.cpu.trace.TraceRecorder}
 * watches the CPU through its tracer hooks, notes each instruction's address, bytes and the registers it changed,
 * and hands the records to a {@link dev.strata.emulator.cpu.trace.TraceLog} that writes them as they come or keeps
 * the last N in memory.
 */
package dev.strata.emulator.cpu.trace;
