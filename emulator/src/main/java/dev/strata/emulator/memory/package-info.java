/**
 * The physical address space: {@link dev.strata.emulator.memory.PhysicalMemory} holds RAM with the CPU's fast path
 * (a byte array, little-endian views, the code-line bitmap) and the A20 gate; behind its slow path the
 * {@link dev.strata.emulator.memory.MemoryMap} places RAM, ROM and device regions
 * ({@link dev.strata.emulator.memory.MemoryRegion}) with priorities, and answers open bus where none is mapped.
 */
package dev.strata.emulator.memory;
