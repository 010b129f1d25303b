package dev.strata.emulator.cpu.conformance;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.translate.JitMode;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;

/**
 * Strata's CPU behind the {@link ConformanceCpu} contract: 16 MiB of RAM, A20 on, no I/O devices, and no x87
 * fitted (the recorded 80286 vectors come from a machine without a coprocessor). Interpreted, or with every
 * block translated ({@link JitMode#ALL}) to check the translating tier against the same vectors.
 */
public final class InterpreterConformanceCpu implements ConformanceCpu {

    private final PhysicalMemory memory = new PhysicalMemory(16 << 20);
    private final Cpu cpu = new Cpu(memory, new IoBus());

    /** The interpreter alone. */
    public InterpreterConformanceCpu() {
        this(JitMode.OFF);
    }

    public InterpreterConformanceCpu(JitMode jit) {
        memory.setA20(true);
        cpu.fpu.present = false;
        cpu.setJit(jit);
    }

    /** The CPU under test, for harnesses that want its counters. */
    public Cpu cpu() {
        return cpu;
    }

    @Override
    public void setReg(Reg reg, int value) {
        value &= 0xFFFF;
        switch (reg) {
            case AX: cpu.r[Cpu.EAX] = value; break;
            case BX: cpu.r[Cpu.EBX] = value; break;
            case CX: cpu.r[Cpu.ECX] = value; break;
            case DX: cpu.r[Cpu.EDX] = value; break;
            case SI: cpu.r[Cpu.ESI] = value; break;
            case DI: cpu.r[Cpu.EDI] = value; break;
            case BP: cpu.r[Cpu.EBP] = value; break;
            case SP: cpu.r[Cpu.ESP] = value; break;
            case IP: cpu.eip = value; break;
            case FLAGS: cpu.fOp = Flags.NONE; cpu.eflags = 0; Flags.set(cpu, value, 0xFFFF); break;
            case CS: cpu.loadSegment(Cpu.CS, value); break;
            case DS: cpu.loadSegment(Cpu.DS, value); break;
            case ES: cpu.loadSegment(Cpu.ES, value); break;
            case SS: cpu.loadSegment(Cpu.SS, value); break;
            default: throw new IllegalArgumentException("unknown register " + reg);
        }
    }

    @Override
    public int getReg(Reg reg) {
        switch (reg) {
            case AX: return cpu.r[Cpu.EAX] & 0xFFFF;
            case BX: return cpu.r[Cpu.EBX] & 0xFFFF;
            case CX: return cpu.r[Cpu.ECX] & 0xFFFF;
            case DX: return cpu.r[Cpu.EDX] & 0xFFFF;
            case SI: return cpu.r[Cpu.ESI] & 0xFFFF;
            case DI: return cpu.r[Cpu.EDI] & 0xFFFF;
            case BP: return cpu.r[Cpu.EBP] & 0xFFFF;
            case SP: return cpu.r[Cpu.ESP] & 0xFFFF;
            case IP: return cpu.eip & 0xFFFF;
            case FLAGS: return Flags.get(cpu) & 0xFFFF;
            case CS: return cpu.cs.selector;
            case DS: return cpu.ds.selector;
            case ES: return cpu.es.selector;
            case SS: return cpu.ss.selector;
            default: throw new IllegalArgumentException("unknown register " + reg);
        }
    }

    @Override
    public void writeByte(int physicalAddress, int value) {
        memory.write8(physicalAddress, value);
    }

    @Override
    public int readByte(int physicalAddress) {
        return memory.read8(physicalAddress);
    }

    @Override
    public boolean runUntilHalt(long maxInstructions) {
        cpu.halted = false;
        cpu.interruptShadow = false;
        cpu.run(maxInstructions);
        return cpu.halted;
    }
}
