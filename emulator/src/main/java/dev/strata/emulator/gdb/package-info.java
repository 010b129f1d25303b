/**
 * A GDB remote serial protocol stub: the packet codec ({@link dev.strata.emulator.gdb.RspPacket},
 * {@link dev.strata.emulator.gdb.RspReader}), the session that answers gdb's packets
 * ({@link dev.strata.emulator.gdb.GdbStub}) over a {@link dev.strata.emulator.gdb.DebugTarget}, the TCP listener
 * ({@link dev.strata.emulator.gdb.GdbServer}) and the target that drives a PC
 * ({@link dev.strata.emulator.gdb.MachineDebugTarget}), and the evaluator of breakpoint conditions gdb sends as
 * bytecode ({@link dev.strata.emulator.gdb.AgentExpression}). The protocol side knows nothing of the CPU.
 */
package dev.strata.emulator.gdb;
